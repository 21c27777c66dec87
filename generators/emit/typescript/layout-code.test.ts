import { describe, expect, it } from 'vitest';
import { demoCap, demoPair, demoSpec, demoUnion } from '../../../test-support/demo-spec.ts';
import { emitLayout, referencedLayouts } from './layout-code.ts';

describe('layout code', () => {
  it('emits the parts of a layout in order: type, metadata, decoder, checker, encoder, codec', () => {
    const source = emitLayout(demoCap, demoSpec());
    const order = ['export interface DemoCap', 'export const demoCapLayout', 'export function decodeDemoCap', 'function checkFieldsDemoCap', 'export function checkDemoCap', 'export function encodeDemoCap', 'export const demoCapCodec'];
    const positions = order.map((marker) => source.indexOf(marker));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('carries no per-layout copy of what the runtime does for every layout', () => {
    const source = emitLayout(demoCap, demoSpec());
    expect(source).not.toContain('function decodeTruncated');
    expect(source).not.toContain("code: 'width'");
  });

  it('names the layouts a layout or union refers to, once each', () => {
    expect(referencedLayouts(demoCap)).toEqual(['demo_inner']);
    expect(referencedLayouts(demoPair)).toEqual(['demo_inner']);
    expect(referencedLayouts(demoUnion)).toEqual(['demo_case_a', 'demo_case_default']);
  });
});
