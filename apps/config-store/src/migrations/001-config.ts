import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_001 } from './001-config-ddl';

export class Config001 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_001) this.addSql(statement);
  }
}
