import { batchWait, LEAST_PUBLISH_WAIT_MS, PUBLISH_WAIT_MS, publishWait, waitLeft } from './publish-waits';

describe('how long a publish waits for its answer', () => {
  it('waits the default when its sender sets no time', () => {
    expect(publishWait(undefined, 1_000, LEAST_PUBLISH_WAIT_MS)).toBe(PUBLISH_WAIT_MS);
  });

  it('waits what is left of the sender\'s time, less what it keeps for a confirmation', () => {
    expect(publishWait(4_000, 1_000, LEAST_PUBLISH_WAIT_MS)).toBe(2_000);
    expect(publishWait(4_000, 1_000)).toBe(3_000);
  });

  it('never waits less than the least wait, even for a sender already late', () => {
    expect(publishWait(1_000, 5_000, LEAST_PUBLISH_WAIT_MS)).toBe(LEAST_PUBLISH_WAIT_MS);
  });

  it('never waits more than the default, however long the sender waits', () => {
    expect(publishWait(60_000, 0, LEAST_PUBLISH_WAIT_MS)).toBe(PUBLISH_WAIT_MS);
  });
});

describe('what is left of a sender\'s wait', () => {
  it('is the wait less what went before the send', () => {
    expect(waitLeft(5_000, 1_000, 3_000)).toBe(3_000);
  });

  it('is a millisecond once the wait is spent: the sender still listens, and is answered 202', () => {
    expect(waitLeft(5_000, 1_000, 9_000)).toBe(1);
  });

  it('stays nothing for a sender that does not wait', () => {
    expect(waitLeft(0, 1_000, 3_000)).toBe(0);
  });
});

describe('how long an atomic batch\'s commit waits', () => {
  it('waits as its most patient sender would, keeping two seconds to publish each alone after', () => {
    expect(batchWait([6_000, 9_000, 8_000], 4_000)).toBe(3_000);
  });

  it('is not cut short by one sender whose bound is nearly spent', () => {
    expect(batchWait([4_001, 9_000], 4_000)).toBe(3_000);
  });

  it('waits the default when a sender sets no time', () => {
    expect(batchWait([4_001, undefined], 4_000)).toBe(PUBLISH_WAIT_MS);
  });
});
