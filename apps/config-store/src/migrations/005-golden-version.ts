import { Migration } from '@mikro-orm/migrations';
import { CONFIG_DDL_005 } from './005-golden-version-ddl';

export class Config005 extends Migration {
  override up(): void {
    for (const statement of CONFIG_DDL_005) this.addSql(statement);
  }
}
