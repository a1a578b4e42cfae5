import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { ConfigAroundPatch, DomainError, quoted, GetMaterialized, ListMaterialized, type MaterializedView } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { send } from '../../http/respond';
import { ok } from './envelope';
import { API_ROOT, ask } from './route';
import { asCallerMaySee } from './secret-reads';
import { Needs } from '../../http/route-marks';

/** A materialized config with the document's fields only (its version number is Slipway's own). */
const asDocumented = ({ materializedSeq: _internal, ...view }: MaterializedView): MaterializedView => view;

/** Instabase Deployment Manager: materialized configs (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabaseConfigsController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('configs')
  @Needs('read')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const configs = (await ask(this.commands, ListMaterialized, {})).map(asDocumented);
    send(req, res, 200, { configs: await asCallerMaySee(this.auth, req, configs) });
  }

  @Get('configs/previous/:object/:version')
  @Needs('read')
  async around(@Param('object') object: string, @Param('version') version: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    if (!/^\d+$/.test(version)) throw new DomainError('invalid', `PATCH_VERSION must be a patch version (a number), not ${quoted(version)}`, 'PATCH_VERSION');
    const around = await ask(this.commands, ConfigAroundPatch, { object, version: Number(version) }, { object: 'OBJECT_NAME', version: 'PATCH_VERSION' });
    const { prevConfig, newConfig } = await asCallerMaySee(this.auth, req, around);
    send(req, res, 200, ok({ prev_config: prevConfig, new_config: newConfig }));
  }

  @Get('configs/:object')
  @Needs('read')
  async get(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const config = asDocumented(await ask(this.commands, GetMaterialized, { object }, { object: 'OBJECT_NAME' }));
    send(req, res, 200, await asCallerMaySee(this.auth, req, config));
  }
}
