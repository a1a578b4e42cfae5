import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_007 } from './007-patch-description-shown-ddl';

export class Config007 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_007) this.addSql(statement);
  }
}
