import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_002 } from './002-golden-ddl';

export class Config002 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_002) this.addSql(statement);
  }
}
