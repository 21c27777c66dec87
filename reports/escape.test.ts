import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXmlAttribute, escapeXmlText, jsonForScriptElement, markdownCodeBlock, markdownInlineCode } from './escape.ts';

describe('escaping untrusted text', () => {
  it('escapes XML text and attributes and replaces characters XML forbids', () => {
    expect(escapeXmlText('a<b>&c\u0000\uD800')).toBe('a&lt;b&gt;&amp;c\\u{0}\\u{d800}');
    expect(escapeXmlAttribute('"x"\n\'y\'')).toBe('&quot;x&quot;&#10;&apos;y&apos;');
  });

  it('escapes HTML', () => {
    expect(escapeHtml('<img src=x onerror="a">&\'')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
  });

  it('keeps </script> and <!-- out of JSON meant for a script element, and the JSON still parses', () => {
    const value = { name: '</script><script>alert(1)</script><!--\u2028' };
    const text = jsonForScriptElement(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('neutralises Markdown and HTML in prose and keeps values on one line', () => {
    expect(escapeMarkdown('a|b\n# h <b>*x*</b>')).toBe('a\\|b \\# h &lt;b&gt;\\*x\\*&lt;/b&gt;');
  });

  it('fences code with more backticks than the text holds', () => {
    expect(markdownCodeBlock('a ``` b')).toBe('````\na ``` b\n````');
    expect(markdownInlineCode('x`y')).toBe('``x`y``');
  });
});
