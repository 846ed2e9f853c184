// Pure: one image template for every service of an app. `{service}`, `{account}` and `{region}` come from each
// config, `{version}` from the run: `…/{service}:{version}` fits an app that builds an image per service, a literal
// image one that builds one for all. The command line's `deploy` and the reusable workflow (plan/run/workflow.ts) both
// fill it here.

const NAMES = ["service", "account", "region", "version"] as const;
type Name = (typeof NAMES)[number];

/** A version is an image tag or a digest: nothing else may reach the image URI. */
const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^sha256:[0-9a-f]{64}$/;

/** The version as given, or an Error that says what a version may be. */
export function checkVersion(version: string): string {
  if (!VERSION.test(version)) {
    throw new Error(
      `${JSON.stringify(version)} is not an image tag or digest: letters, digits, '.', '_' and '-', at most 128, or sha256:<64 hex>`,
    );
  }
  return version;
}

/** The template as given, or an Error naming the first `{name}` it may not use. */
export function checkImageTemplate(template: string): string {
  for (const [whole, name] of template.matchAll(/\{([a-z]+)\}/g)) {
    if (!(NAMES as readonly string[]).includes(name ?? "")) {
      throw new Error(`the image template has ${whole}: it may use ${NAMES.map((n) => `{${n}}`).join(", ")}`);
    }
  }
  return template;
}

/** The template with each `{name}` filled in; an Error that says what to give when a name has no value. */
export function fillImageTemplate(template: string, values: Partial<Record<Name, string>>): string {
  if (values.version !== undefined) checkVersion(values.version);
  checkImageTemplate(template);
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    const value = values[name as Name];
    if (value === undefined) throw new Error(`the image template has ${whole}: give the version with --version`);
    return value;
  });
}
