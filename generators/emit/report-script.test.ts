import { describe, expect, it } from 'vitest';
import { compilePageScript, pageScriptModule, reportScript, templateLiteral } from './report-script.ts';

describe('report page script', () => {
  it('compiles TypeScript into a classic script: types gone, names kept inside one function', async () => {
    const script = await compilePageScript("import type { X } from './x.ts';\nconst count: number = 2;\ninterface Shown { n: number }\nconst shown: Shown = { n: count };\ndocument.title = `× ${shown.n}`;\n");
    expect(script).not.toMatch(/import|interface|: number/);
    expect(script.trimStart().startsWith('(() => {')).toBe(true);
    expect(script).toContain('×');
    // Run in a stand-in for the page: the script sets the title and leaks no global.
    const page = { document: { title: '' } };
    new Function('document', script)(page.document);
    expect(page.document.title).toBe('× 2');
  });

  it('keeps the compiled script intact inside a template literal', () => {
    const text = 'a `b` ${c} \\d';
    expect(new Function(`return ${templateLiteral(text)};`)()).toBe(text);
  });

  it('writes the generated module the HTML writer imports', () => {
    const module = pageScriptModule('(() => {})();\n');
    expect(reportScript).toEqual({ source: 'reports/html-app.ts', output: 'generated/report/html-app.ts' });
    expect(module).toContain('from reports/html-app.ts. Do not edit: change that file and regenerate.');
    expect(module).toContain('export const reportPageScript: string = `(() => {})();\n`;');
  });
});
