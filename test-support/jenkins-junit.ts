/**
 * What Jenkins accepts as JUnit XML, checked structurally (no XSD engine is a dependency): the
 * elements, attributes and nesting of the JUnit schema the Jenkins xUnit plugin publishes
 * (junit-10.xsd), written down from that schema as rules. A report that breaks one is refused or
 * half-read by Jenkins' parser: per-test `<properties>`, a `skipped` count on `<testsuites>`, a
 * `<testcase>` attribute it does not know.
 */

/** One element of a parsed document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element (entities left as written). */
  text: string;
}

/** Parses well-formed XML (check it with xmlWellFormednessProblems first) into its element tree. */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>/, '').replace(/<!--[^]*?-->/g, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token = /<(\/?)([A-Za-z_:][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|<!\[CDATA\[([^]*?)\]\]>/g;
  for (const match of body.matchAll(token)) {
    const top = stack[stack.length - 1]!;
    if (match[5] !== undefined || match[6] !== undefined) {
      top.text += match[5] ?? match[6] ?? '';
      continue;
    }
    if (match[1] === '/') {
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of (match[3] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[attribute[1]!] = attribute[2] ?? attribute[3] ?? '';
    const element: XmlElement = { name: match[2]!, attributes, children: [], text: '' };
    top.children.push(element);
    if (match[4] !== '/') stack.push(element);
  }
  return root.children[0] ?? root;
}

/** The rule for one element: attributes it may (and must) have, elements it may contain. */
interface ElementRule {
  required: readonly string[];
  optional: readonly string[];
  children: readonly string[];
  /** Character data allowed (besides white space). */
  text: boolean;
}

const textElement: ElementRule = { required: [], optional: ['type', 'message'], children: [], text: true };
const rules: Readonly<Record<string, ElementRule>> = {
  testsuites: { required: [], optional: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'], text: false },
  testsuite: {
    required: ['name', 'tests', 'failures', 'errors'],
    optional: ['group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    text: false,
  },
  properties: { required: [], optional: [], children: ['property'], text: false },
  property: { required: ['name', 'value'], optional: [], children: [], text: false },
  testcase: {
    required: ['name'],
    optional: ['time', 'classname', 'group'],
    children: ['skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'flakyFailure', 'flakyError', 'system-out', 'system-err'],
    text: false,
  },
  failure: textElement,
  error: textElement,
  skipped: textElement,
  'system-out': { required: [], optional: [], children: [], text: true },
  'system-err': { required: [], optional: [], children: [], text: true },
};

/** A time as the schema's SUREFIRE_TIME allows: digits (with optional thousands commas) and a fraction. */
const timePattern = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

/** Everything in `xml` Jenkins' JUnit schema does not allow; empty when it validates. */
export function jenkinsJunitProblems(xml: string): string[] {
  const root = parseXml(xml);
  const problems: string[] = [];
  if (root.name !== 'testsuites' && root.name !== 'testsuite') problems.push(`root element <${root.name}> is neither <testsuites> nor <testsuite>`);
  const visit = (element: XmlElement, path: string): void => {
    const rule = rules[element.name];
    const here = `${path}/${element.name}${element.attributes.name !== undefined ? `[@name="${element.attributes.name}"]` : ''}`;
    if (!rule) {
      problems.push(`${here}: element not in the schema`);
      return;
    }
    for (const name of rule.required) if (!(name in element.attributes)) problems.push(`${here}: missing attribute ${name}`);
    for (const name of Object.keys(element.attributes)) if (!rule.required.includes(name) && !rule.optional.includes(name)) problems.push(`${here}: attribute ${name} not allowed`);
    if ((element.name === 'testsuite' || element.name === 'testsuites') && element.attributes.time !== undefined && !timePattern.test(element.attributes.time)) problems.push(`${here}: time '${element.attributes.time}' is not a number of seconds`);
    if (!rule.text && element.text.trim() !== '') problems.push(`${here}: text not allowed`);
    for (const child of element.children) {
      if (!rule.children.includes(child.name)) problems.push(`${here}: <${child.name}> not allowed inside <${element.name}>`);
      else visit(child, here);
    }
  };
  visit(root, '');
  return problems;
}
