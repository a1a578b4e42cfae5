import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_006 } from './006-base-digest-ddl';

export class Config006 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_006) this.addSql(statement);
  }
}
