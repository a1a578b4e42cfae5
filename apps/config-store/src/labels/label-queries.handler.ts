import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseQuery } from '@slipway/bus';
import { LabelsByObject, ListLabels, ObjectsByLabel, type QueryEnvelope } from '@slipway/contracts';
import { DATABASE } from '@slipway/runtime';
import type { Pool } from 'pg';

@Controller()
export class LabelQueriesHandler {
  constructor(@Inject(DATABASE) private readonly db: Pool) {}

  @MessagePattern(ListLabels.subject)
  async list(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    parseQuery(ListLabels, envelope);
    const { rows } = await this.db.query<{ label: string }>('SELECT DISTINCT label FROM label_bindings ORDER BY label');
    return rows.map((r) => r.label);
  }

  /** must_exist: only objects that have a base config. */
  @MessagePattern(ObjectsByLabel.subject)
  async objects(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    const { label, mustExist } = parseQuery(ObjectsByLabel, envelope);
    const { rows } = await this.db.query<{ object_name: string }>(
      `SELECT b.object_name FROM label_bindings b WHERE b.label = $1
         AND (NOT $2 OR EXISTS (SELECT 1 FROM base_configs c WHERE c.object_name = b.object_name))
       ORDER BY b.object_name`, [label, mustExist],
    );
    return rows.map((r) => r.object_name);
  }

  @MessagePattern(LabelsByObject.subject)
  async labels(@Payload() envelope: QueryEnvelope): Promise<string[]> {
    const { object } = parseQuery(LabelsByObject, envelope);
    const { rows } = await this.db.query<{ label: string }>('SELECT label FROM label_bindings WHERE object_name = $1 ORDER BY label', [object]);
    return rows.map((r) => r.label);
  }
}
