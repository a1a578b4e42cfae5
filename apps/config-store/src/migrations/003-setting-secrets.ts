import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_003 } from './003-setting-secrets-ddl';

export class Config003 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_003) this.addSql(statement);
  }
}
