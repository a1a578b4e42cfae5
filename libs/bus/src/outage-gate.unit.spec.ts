import { OutageGate } from './outage-gate';

describe('OutageGate', () => {
  it('stays closed until work gets past the outage, whatever was handed back meanwhile, and lets one probe run at a time', async () => {
    const gate = new OutageGate();
    expect(gate.closed).toBe(false);
    // given an outage met
    gate.close();
    let opened = false;
    void gate.opened().then(() => { opened = true; });
    // then one message at a time may run as its probe
    const endProbe = gate.takeProbe();
    expect(endProbe).toBeDefined();
    expect(gate.takeProbe()).toBeUndefined();
    endProbe!();
    endProbe!(); // ending twice frees one place only
    const next = gate.takeProbe();
    expect(next).toBeDefined();
    expect(gate.takeProbe()).toBeUndefined();
    await Promise.resolve();
    expect({ closed: gate.closed, opened }).toEqual({ closed: true, opened: false });
    // when work gets past it
    gate.open();
    await Promise.resolve();
    expect({ closed: gate.closed, opened }).toEqual({ closed: false, opened: true });
    await expect(gate.opened()).resolves.toBeUndefined();
  });
});
