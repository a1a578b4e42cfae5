import { z } from 'zod';
import { query } from '../define';
import { resourceName } from '../names';
import { targetKey, type TargetView } from './target';

export const GetTarget = query<typeof targetKey, TargetView>('qry.deployer.get-target.v1', targetKey);
const listTargets = z.object({ namespace: resourceName }).strict();
export const ListTargets = query<typeof listTargets, TargetView[]>('qry.deployer.list-targets.v1', listTargets);
