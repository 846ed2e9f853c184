// A minimal client for EC2's Query API (POST, form-encoded, XML answers), signed with the SDK's own SigV4 signer and
// credential chain. Why not @aws-sdk/client-ec2: its ES build does not tree-shake under ncc (measured: 1.25 MB for
// two describes), and the action makes two read-only EC2 calls. Protocol: Action=…&Version=2016-11-15, `.N` lists.
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Ec2QueryOptions {
  region: string;
  endpoint?: string | undefined;
  userAgent?: string | undefined;
}

/** A node of an XML answer: its children by order, and its text. */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

export interface Ec2Query {
  /** Calls `action` with query parameters; resolves to the answer's XML root, rejects with an AWS-shaped error. */
  call(action: string, params: Record<string, string>): Promise<XmlNode>;
}

const RETRIES = 4;

export function makeEc2Query(options: Ec2QueryOptions): Ec2Query {
  const url = new URL(
    options.endpoint ?? `https://ec2.${options.region}.amazonaws.com${options.region.startsWith("cn-") ? ".cn" : ""}`,
  );
  const signer = new SignatureV4({
    service: "ec2",
    region: options.region,
    credentials: defaultProvider(),
    sha256: Sha256,
  });
  return {
    async call(action, params) {
      const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params }).toString();
      for (let attempt = 1; ; attempt++) {
        const signed = await signer.sign({
          method: "POST",
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port ? { port: Number(url.port) } : {}),
          path: url.pathname,
          query: {},
          headers: {
            host: url.host,
            "content-type": "application/x-www-form-urlencoded; charset=utf-8",
            "user-agent": options.userAgent ?? "ocf-deploy-action",
          },
          body,
        });
        const response = await fetch(url, {
          method: "POST",
          headers: signed.headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const root = parseXml(await response.text());
        if (response.ok) return root;
        const error = awsError(root, response.status);
        // Throttling and 5xx are passing faults of a read-only call: try again, with jitter, a few times.
        if (attempt >= RETRIES || !(response.status >= 500 || /Throttl|RequestLimitExceeded/.test(error.name)))
          throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 200 * 2 ** attempt));
      }
    },
  };
}

/** `<Response><Errors><Error><Code>…</Code><Message>…</Message>` → an Error named by its code. */
function awsError(root: XmlNode, status: number): Error & { $metadata: { httpStatusCode: number } } {
  const error = find(root, "Error");
  const code = error ? childText(error, "Code") : undefined;
  const message = (error ? childText(error, "Message") : undefined) ?? `EC2 answered HTTP ${status}`;
  return Object.assign(new Error(message), { name: code ?? `Http${status}`, $metadata: { httpStatusCode: status } });
}

/** The first node named `name`, depth first. */
export function find(node: XmlNode, name: string): XmlNode | undefined {
  if (node.name === name) return node;
  for (const child of node.children) {
    const found = find(child, name);
    if (found) return found;
  }
  return undefined;
}

export function childText(node: XmlNode, name: string): string | undefined {
  return node.children.find((c) => c.name === name)?.text;
}

const TOKEN = /<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>|<[?!][^>]*>|([^<]+)/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Enough XML for EC2's answers: elements and text, no attributes kept, entities decoded. */
export function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: "", children: [], text: "" };
  const stack = [root];
  for (const [, close, name, selfClosing, chars] of text.matchAll(TOKEN)) {
    const top = stack.at(-1) ?? root;
    if (chars !== undefined) top.text += decode(chars).trim();
    else if (name === undefined) continue;
    else if (close) stack.length = Math.max(1, stack.length - 1);
    else {
      const node: XmlNode = { name, children: [], text: "" };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  return root;
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (all, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? all;
  });
}
