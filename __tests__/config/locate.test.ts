import { describe, expect, test } from "vitest";
import { locateKey } from "../../src/config/locate.js";

const at = (line: number, column: number) => ({ line, column });

describe("locateKey", () => {
  test("finds top-level keys, ignoring indentation, comments and blank lines", () => {
    const source = '# comment with key = 1\n\nservice = "web"\n  port = 80 # port = 81\n';
    expect(locateKey(source, ["service"])).toEqual(at(3, 1));
    expect(locateKey(source, ["port"])).toEqual(at(4, 3));
  });

  test("finds keys under [table] and [a.b] headers, and the headers themselves", () => {
    const source = "a = 1\n[containers.nginx]\nport = 80\n\n  [ containers . nginx . health_check ]\ninterval = 5\n";
    expect(locateKey(source, ["containers", "nginx", "port"])).toEqual(at(3, 1));
    expect(locateKey(source, ["containers", "nginx"])).toEqual(at(2, 1));
    expect(locateKey(source, ["containers"])).toEqual(at(2, 2));
    expect(locateKey(source, ["containers", "nginx", "health_check"])).toEqual(at(5, 3));
    expect(locateKey(source, ["containers", "nginx", "health_check", "interval"])).toEqual(at(6, 1));
  });

  test("finds each part of a dotted key", () => {
    const source = "x = 1\ncontainers.nginx.port = 80\n";
    expect(locateKey(source, ["containers", "nginx", "port"])).toEqual(at(2, 18));
    expect(locateKey(source, ["containers", "nginx"])).toEqual(at(2, 12));
    expect(locateKey(source, ["containers"])).toEqual(at(2, 1));
  });

  test("finds dotted keys relative to the current table", () => {
    const source = "[containers.nginx]\nhealth_check.interval = 5\n";
    expect(locateKey(source, ["containers", "nginx", "health_check", "interval"])).toEqual(at(2, 14));
  });

  test("finds quoted keys, decoding escapes", () => {
    const source = '[tags]\n"app.io/name" = "x"\n\'C:\\path\' = "y"\n"\\u0041B" = "z"\n';
    expect(locateKey(source, ["tags", "app.io/name"])).toEqual(at(2, 1));
    expect(locateKey(source, ["tags", "C:\\path"])).toEqual(at(3, 1));
    expect(locateKey(source, ["tags", "AB"])).toEqual(at(4, 1));
  });

  test("finds keys inside inline tables, nested ones too", () => {
    const source =
      'environment = { A = "1", B = "2" }\nhealth_check = { command = ["CMD", "x"], opts = { deep = 1 } }\n';
    expect(locateKey(source, ["environment", "B"])).toEqual(at(1, 26));
    expect(locateKey(source, ["health_check", "opts", "deep"])).toEqual(at(2, 51));
  });

  test("points an array index at the array's key", () => {
    const source = 'x = 1\ndepends_on = [\n  "a",\n  "b",\n]\n';
    expect(locateKey(source, ["depends_on", 1])).toEqual(at(2, 1));
  });

  test("points a missing key at its nearest parent, else at 1:1", () => {
    const source = 'service = "web"\n\n[containers.proxy]\nport = 1\nhealth_check = { interval = 5 }\n';
    expect(locateKey(source, ["containers", "proxy", "image"])).toEqual(at(3, 1));
    expect(locateKey(source, ["containers", "proxy", "health_check", "command"])).toEqual(at(5, 1));
    expect(locateKey(source, ["cluster"])).toEqual(at(1, 1));
    expect(locateKey(source, ["environment", "X"])).toEqual(at(1, 1));
  });

  test("is not fooled by brackets, equals signs and headers inside strings and arrays", () => {
    const source = [
      'command = ["echo [x]", "a = b",',
      "  \"#\", '[fake]']",
      'doc = """',
      "[not.a.table]",
      'inside = "no"',
      '"""',
      "lit = '''",
      "[also.not]'''",
      "after = 1",
    ].join("\n");
    expect(locateKey(source, ["after"])).toEqual(at(9, 1));
    expect(locateKey(source, ["not", "a", "table"])).toEqual(at(1, 1));
    expect(locateKey(source, ["inside"])).toEqual(at(1, 1));
  });

  test("handles a multi-line string that ends in quotes, and escaped quotes", () => {
    const source = 'a = """x""""\nb = "say \\"c = 1\\""\nc = 2\n';
    expect(locateKey(source, ["b"])).toEqual(at(2, 1));
    expect(locateKey(source, ["c"])).toEqual(at(3, 1));
  });

  test("handles arrays of tables", () => {
    const source = "[[rule]]\nname = 1\n[[rule]]\nname = 2\n";
    expect(locateKey(source, ["rule", 1, "name"])).toEqual(at(4, 1));
    expect(locateKey(source, ["rule"])).toEqual(at(1, 1));
  });

  test("handles CRLF line endings and date-times with a space", () => {
    const source = "when = 1979-05-27 07:32:00Z\r\nport = 80\r\n";
    expect(locateKey(source, ["port"])).toEqual(at(2, 1));
  });

  test("reports the first place a key is written", () => {
    const source = "[containers.a]\nport = 1\n[containers.b]\nport = 2\n";
    expect(locateKey(source, ["containers"])).toEqual(at(1, 2));
    expect(locateKey(source, ["containers", "b", "port"])).toEqual(at(4, 1));
  });

  test("does not hang on text that is not TOML", () => {
    expect(locateKey("= = [[ {{ \"\n'", ["x"])).toEqual(at(1, 1));
    expect(locateKey("", ["x"])).toEqual(at(1, 1));
  });
});
