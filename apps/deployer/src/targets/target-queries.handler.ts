import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { DomainError, GetTarget, ListTargets, UnsealAnnotations, type QueryEnvelope, type TargetView } from '@slipway/contracts';
import { unsealMaps } from '@slipway/sealing';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { deployerSeals } from '../deployer-seals';

const COLUMNS = `id, namespace, name, labels, annotations, kubernetes_namespace AS "kubernetesNamespace",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(modified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "modifiedAt",
  resource_version AS "resourceVersion"`;

@Controller()
export class TargetQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(GetTarget.subject)
  async get(@Payload() envelope: QueryEnvelope): Promise<TargetView> {
    const key = parseQuery(GetTarget, envelope);
    const { rows } = await this.db.query<TargetView>(`SELECT ${COLUMNS} FROM targets WHERE namespace = $1 AND name = $2`, [key.namespace, key.name]);
    if (!rows[0]) throw new DomainError('not-found', `deployment target "${key.name}" not found in namespace "${key.namespace}"`);
    return rows[0];
  }

  @MessagePattern(ListTargets.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<TargetView[]> {
    const { namespace } = parseQuery(ListTargets, envelope);
    const { rows } = await this.db.query<TargetView>(`SELECT ${COLUMNS} FROM targets WHERE namespace = $1 ORDER BY name`, [namespace]);
    return rows;
  }

  @MessagePattern(UnsealAnnotations.subject)
  async unseal(@Payload() envelope: QueryEnvelope): Promise<Record<string, string>> {
    const { annotations } = parseQuery(UnsealAnnotations, envelope);
    return (await unsealMaps(deployerSeals, this.db, [annotations]))[0]!;
  }
}
