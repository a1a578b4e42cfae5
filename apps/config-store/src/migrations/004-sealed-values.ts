import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_004 } from './004-sealed-values-ddl';

export class Config004 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_004) this.addSql(statement);
  }
}
