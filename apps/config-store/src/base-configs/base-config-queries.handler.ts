import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import {
  AllReleaseVersions, DomainError, ListBaseConfigs, ObjectContainers, ObjectReleaseVersions, parseCheckedYaml, PlatformVersion, quoted, UpgradeHistory,
  type BaseConfigView, type QueryEnvelope, type UpgradeView,
} from '@slipway/contracts';
import type { JsonObject } from '@slipway/materializer';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';
import { goldenCaughtUp } from '../materialize/golden.projection';
import { metadataOf } from '../materialize/materialize';
import { containersOf } from './replace-image';
import { compareVersions } from './compare-versions';

const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;

@Controller()
export class BaseConfigQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(ListBaseConfigs.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<BaseConfigView[]> {
    const { version, object } = parseQuery(ListBaseConfigs, envelope);
    await goldenCaughtUp(this.db);
    // Golden: the object's golden config (what the deployer last applied) was materialized
    // from this base, whatever patches it carried: of this release and, where the version
    // applied is known, from this text (a release uploaded again whose push failed is not
    // what the cluster runs, as configs/{object} says too).
    const { rows } = await this.db.query<{ object_name: string; release_version: string; previous: string | null; kind: string; config: string; current: boolean; golden: boolean }>(
      `SELECT b.*, EXISTS (
           SELECT 1 FROM golden_configs g LEFT JOIN materialized_configs m ON m.object_name = g.object_name AND m.seq = g.materialized_seq
           WHERE g.object_name = b.object_name AND g.release_version = b.release_version AND (m.base_digest IS NULL OR m.base_digest = md5(b.config))
         ) AS golden FROM (
         SELECT object_name, release_version, kind, config,
           lag(release_version) OVER (PARTITION BY object_name ORDER BY seq) AS previous,
           seq = max(seq) OVER (PARTITION BY object_name) AS current, seq
         FROM base_configs) b
       WHERE ($1::text IS NULL OR b.release_version = $1) AND ($2::text IS NULL OR b.object_name = $2)
       ORDER BY b.object_name, b.seq`, [version ?? null, object ?? null],
    );
    return rows.map((r) => ({
      objectName: r.object_name, releaseVersion: r.release_version, previousReleaseVersion: r.previous, kind: r.kind,
      config: r.config, metadata: metadataOf(r.kind), current: r.current, golden: r.golden,
    }));
  }

  @MessagePattern(AllReleaseVersions.subject)
  async all(@Payload() envelope: QueryEnvelope) {
    parseQuery(AllReleaseVersions, envelope);
    const { rows } = await this.db.query<{ object_name: string; versions: string[] }>(
      'SELECT object_name, array_agg(release_version ORDER BY seq) AS versions FROM base_configs GROUP BY object_name ORDER BY object_name',
    );
    return rows.map((r) => ({ objectName: r.object_name, versions: r.versions }));
  }

  @MessagePattern(ObjectReleaseVersions.subject)
  async versions(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    const { object } = parseQuery(ObjectReleaseVersions, envelope);
    const { rows } = await this.db.query<{ release_version: string }>('SELECT release_version FROM base_configs WHERE object_name = $1 ORDER BY seq', [object]);
    if (rows.length === 0) throw new DomainError('not-found', `Could not get base config history: object ${quoted(object)} has no base config`, 'object');
    return rows.map((r) => r.release_version);
  }

  @MessagePattern(ObjectContainers.subject)
  async containers(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    const { object } = parseQuery(ObjectContainers, envelope);
    const { rows } = await this.db.query<{ config: string }>('SELECT config FROM base_configs WHERE object_name = $1 ORDER BY seq DESC LIMIT 1', [object]);
    if (!rows[0]) throw new DomainError('not-found', `object ${quoted(object)} has no base config`, 'object');
    return (containersOf(parseCheckedYaml(rows[0].config) as JsonObject) ?? []).map((c) => String(c.name));
  }

  @MessagePattern(UpgradeHistory.subject)
  async history(@Payload() envelope: QueryEnvelope): Promise<UpgradeView[]> {
    const { limit, offset } = parseQuery(UpgradeHistory, envelope);
    const { rows } = await this.db.query<UpgradeView>(
      `SELECT release_version AS version, creators, ${ms('created_at')} AS "createdAtTimestampMS", ${ms('updated_at')} AS "lastUpdatedTimestampMS"
       FROM releases`,
    );
    return rows.map((r) => ({ ...r, createdAtTimestampMS: Number(r.createdAtTimestampMS), lastUpdatedTimestampMS: Number(r.lastUpdatedTimestampMS) }))
      .sort((a, b) => compareVersions(a.version, b.version)).slice(offset, limit === undefined ? undefined : offset + limit);
  }

  @MessagePattern(PlatformVersion.subject)
  async platformVersion(@Payload() envelope: QueryEnvelope) {
    parseQuery(PlatformVersion, envelope);
    const { rows } = await this.db.query<{ release_version: string }>('SELECT release_version FROM releases ORDER BY seq DESC LIMIT 1');
    return { releaseVersion: rows[0]?.release_version ?? null };
  }
}
