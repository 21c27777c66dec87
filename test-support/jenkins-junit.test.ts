import { describe, expect, it } from 'vitest';
import { jenkinsJunitProblems, parseXml } from './jenkins-junit.ts';

const valid = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="x" tests="2" failures="1" errors="0" time="1.5">
  <testsuite name="s" tests="2" failures="1" errors="0" skipped="0" time="1.500" timestamp="2026-01-01T00:00:00Z" hostname="h">
    <properties><property name="seed" value="1"/></properties>
    <testcase classname="a.b" name="t1" time="0.5"/>
    <testcase classname="a.b" name="t2" time="1.0"><failure message="m" type="fail">why &amp; how</failure><system-out>more</system-out></testcase>
  </testsuite>
</testsuites>
`;

describe('jenkinsJunitProblems', () => {
  it('accepts what the schema allows', () => {
    expect(jenkinsJunitProblems(valid)).toEqual([]);
    expect(parseXml(valid).children[0]!.children.filter((child) => child.name === 'testcase')).toHaveLength(2);
  });

  it('refuses per-test properties, skipped on testsuites, unknown attributes and missing counts', () => {
    expect(jenkinsJunitProblems(valid.replace('<testcase classname="a.b" name="t1" time="0.5"/>', '<testcase classname="a.b" name="t1"><properties><property name="r" value="1"/></properties></testcase>'))).toEqual([
      '/testsuites[@name="x"]/testsuite[@name="s"]/testcase[@name="t1"]: <properties> not allowed inside <testcase>',
    ]);
    expect(jenkinsJunitProblems(valid.replace('<testsuites name="x"', '<testsuites name="x" skipped="0"'))).toEqual(['/testsuites[@name="x"]: attribute skipped not allowed']);
    expect(jenkinsJunitProblems(valid.replace('name="t1" time="0.5"', 'name="t1" file="x.ts"'))).toEqual(['/testsuites[@name="x"]/testsuite[@name="s"]/testcase[@name="t1"]: attribute file not allowed']);
    expect(jenkinsJunitProblems(valid.replace(' errors="0" skipped="0"', ' skipped="0"'))).toEqual(['/testsuites[@name="x"]/testsuite[@name="s"]: missing attribute errors']);
    expect(jenkinsJunitProblems(valid.replace('time="1.500"', 'time="1.5s"'))).toEqual(["/testsuites[@name=\"x\"]/testsuite[@name=\"s\"]: time '1.5s' is not a number of seconds"]);
  });
});
