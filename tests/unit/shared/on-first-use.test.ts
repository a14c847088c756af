import { describe, expect, it } from '@jest/globals';
import { onFirstUse } from '../../../app/shared/on-first-use';

class Counter {
  count = 0;
  readonly label: string;
  constructor(label: string) {
    this.label = label;
  }
  increment(): number {
    this.count += 1;
    return this.count;
  }
}

function counted(label = 'c') {
  const builds: Counter[] = [];
  const standIn = onFirstUse(() => {
    const counter = new Counter(label);
    builds.push(counter);
    return counter;
  });
  return { standIn, builds };
}

describe('onFirstUse', () => {
  it('builds nothing until the stand-in is used', () => {
    const { builds } = counted();
    expect(builds).toHaveLength(0);
  });

  it('builds once, on first use, however often it is used', () => {
    const { standIn, builds } = counted('first');
    const label = standIn.label;
    standIn.increment();
    standIn.increment();
    expect({ label, builds: builds.length, count: builds[0]?.count }).toEqual({
      label: 'first',
      builds: 1,
      count: 2,
    });
  });

  it('hands out methods bound to the built object, the same function each time', () => {
    const { standIn, builds } = counted();
    const { increment } = standIn;
    increment();
    expect({ count: builds[0]?.count, same: standIn.increment === increment }).toEqual({
      count: 1,
      same: true,
    });
  });

  it('writes, checks, lists and deletes properties of the built object', () => {
    const { standIn, builds } = counted();
    standIn.count = 41;
    const fields = standIn as unknown as Record<string, unknown>;
    fields.extra = true;
    const listed = Object.keys(standIn);
    delete fields.extra;
    expect({
      count: builds[0]?.count,
      listed,
      hasExtraAfterDelete: 'extra' in standIn,
      hasLabel: 'label' in standIn,
    }).toEqual({
      count: 41,
      listed: ['count', 'label', 'extra'],
      hasExtraAfterDelete: false,
      hasLabel: true,
    });
  });

  it('is an instance of what it builds', () => {
    const { standIn } = counted();
    expect(standIn instanceof Counter).toBe(true);
  });
});
