// Pure: one image template for every service of an app. `{service}`, `{account}` and `{region}` come from each
// config, `{version}` from the run: `…/{service}:{version}` fits an app that builds an image per service, a literal
// image one that builds one for all. The reusable workflow fills the same names.

const NAMES = ["service", "account", "region", "version"] as const;
type Name = (typeof NAMES)[number];

/** A version is an image tag: nothing else may reach the image URI. */
const VERSION = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The template with each `{name}` filled in; an Error that says what to give when a name has no value. */
export function fillImageTemplate(template: string, values: Partial<Record<Name, string>>): string {
  if (values.version !== undefined && !VERSION.test(values.version)) {
    throw new Error(`version "${values.version}" is not an image tag: letters, digits, '.', '_' and '-', at most 128`);
  }
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    if (!(NAMES as readonly string[]).includes(name)) {
      throw new Error(`the image template has ${whole}: it may use ${NAMES.map((n) => `{${n}}`).join(", ")}`);
    }
    const value = values[name as Name];
    if (value === undefined) throw new Error(`the image template has ${whole}: give the version with --version`);
    return value;
  });
}
