import { BindLabels, MAX_BOUND_PAIRS } from './labels';

describe('BindLabels', () => {
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('refuses more label-object pairs than one binding may make, naming object_names', () => {
    const parsed = BindLabels.schema.safeParse({ labels: names('l', 1000), objects: names('o', 10_000) });
    expect(parsed.success ? undefined : { path: parsed.error.issues[0]!.path, message: parsed.error.issues[0]!.message })
      .toEqual({ path: ['objects'], message: `binds at most ${MAX_BOUND_PAIRS} label-object pairs at once (labels × object_names); send them in parts` });
  });

  it('takes a binding at the bound', () => {
    expect(BindLabels.schema.safeParse({ labels: names('l', 10), objects: names('o', 1000) }).success).toBe(true);
  });
});
