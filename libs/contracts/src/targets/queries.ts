import { z } from 'zod';
import { query } from '../define';
import { SEALED_TOKEN_PREFIX } from '../redaction/sealed-tokens';
import { resourceName } from '../names';
import { targetKey, type TargetView } from './target';

export const GetTarget = query<typeof targetKey, TargetView>('qry.deployer.get-target.v1', targetKey, { hedged: true });
const listTargets = z.object({ namespace: resourceName }).strict();
export const ListTargets = query<typeof listTargets, TargetView[]>('qry.deployer.list-targets.v1', listTargets, { hedged: true });

export const holdsSealedValues = (map: Readonly<Record<string, string>>): boolean => Object.values(map).some((value) => value.includes(SEALED_TOKEN_PREFIX));

const sealedAnnotations = z.object({ annotations: z.record(z.string(), z.string()) }).strict();
/**
 * A target's annotations as a command's recorded outcome holds them (secret values as
 * tokens), with their values back: a resend answered from that outcome (Idempotency-Key, a
 * duplicate read through the command status) answers what the first answer did.
 */
export const UnsealAnnotations = query<typeof sealedAnnotations, Record<string, string>>('qry.deployer.unseal-annotations.v1', sealedAnnotations);
