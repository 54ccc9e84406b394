import { describe, expect, it } from 'vitest';
import { inBedtime, remainingSeconds } from './kid-limits.ts';

const at = (hh: number, mm: number) => new Date(2026, 4, 1, hh, mm);

describe('kid listening limits, enforced on the device', () => {
  it('knows a bedtime window that spans midnight', () => {
    const bedtime = { enabled: true, start: '19:30', end: '07:00' };
    expect(inBedtime(bedtime, at(19, 29))).toBe(false);
    expect(inBedtime(bedtime, at(19, 30))).toBe(true);
    expect(inBedtime(bedtime, at(0, 0))).toBe(true);
    expect(inBedtime(bedtime, at(6, 59))).toBe(true);
    expect(inBedtime(bedtime, at(7, 0))).toBe(false);
    expect(inBedtime(bedtime, at(12, 0))).toBe(false);
  });

  it('knows a window within one day, and ignores a disabled one', () => {
    expect(inBedtime({ enabled: true, start: '13:00', end: '15:00' }, at(14, 0))).toBe(true);
    expect(inBedtime({ enabled: true, start: '13:00', end: '15:00' }, at(15, 0))).toBe(false);
    expect(inBedtime({ enabled: false, start: '00:00', end: '23:59' }, at(12, 0))).toBe(false);
  });

  it('counts down daily minutes, and treats null as no limit', () => {
    expect(remainingSeconds(60, 30 * 60)).toBe(30 * 60);
    expect(remainingSeconds(60, 61 * 60)).toBe(0);
    expect(remainingSeconds(null, 10_000)).toBe(Number.POSITIVE_INFINITY);
  });
});
