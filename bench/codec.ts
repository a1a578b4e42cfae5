import { decode, decodeSent, encode } from '../libs/bus/src/codec';

/**
 * (a) What reading a command costs a service: a target's create as the gateway sends it
 * (528 bytes), read as the bus read every command before 2026-12-06 (JSON.parse of the
 * bytes) and as it reads one another process sent now (decodeSent: UTF-8 checked, each
 * key counted once per object). Nanoseconds a command, the best of three rounds each.
 */
export function commandReadingBench(rounds = 3, each = 200_000): { bytes: number; plainNs: number; strictNs: number } {
  const now = new Date().toISOString();
  const data = encode({
    commandId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', correlationId: '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    actor: { principal: 'admin', kind: 'token', tokenId: 'a'.repeat(64) }, issuedAt: now, repliesUntil: now, fingerprint: 'abc',
    payload: { namespace: 'bench', name: 'w1-t1', document: { kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'w1-t1', labels: { round: '0' } }, spec: { kubernetes: { namespace: 'bench' } } } },
  });
  const timed = (read: (bytes: Uint8Array) => unknown) => {
    for (let i = 0; i < each / 10; i++) read(data);
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < each; i++) read(data);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / each);
    }
    return best;
  };
  return { bytes: data.length, plainNs: timed(decode), strictNs: timed(decodeSent) };
}
