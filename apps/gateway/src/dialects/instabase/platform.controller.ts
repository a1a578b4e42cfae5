import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import {
  DatabaseConnection, databaseOptions, DomainError, GetSettings, MockDdl, PlatformVersion, SetUpDatabase, SetUpDeploymentManager, SetupStatus, UpdateSettings, settingsAsReadersSee,
} from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { send } from '../../http/respond';
import { ok } from './envelope';
import { InstabaseInput } from './input';
import { API_ROOT, ask, sendCommand } from './route';
import { refuseHead } from '../../http/head-not-served';
import { HeadRefused, Needs } from '../../http/route-marks';

const DATABASE_BOOLEANS = ['create_admin_account', 'enable_control_plane', 'enable_key_service', 'enable_ml_studio', 'enable_model_registry_pv', 'enable_repo_projects', 'enable_models'];
/** The database routes' fields: another is refused naming it before any required one is missed. */
const DATABASE_FIELDS = Object.keys(databaseOptions.shape);

/**
 * The settings document: the GET answer sent back whole, or just its `settings` map; with
 * the path of that map in the body, which refusals name.
 */
async function settingsOf(req: FastifyRequest): Promise<{ settings: unknown; at: string }> {
  // The document as GET answers it (its envelope's statusCode and error come back with it), or the settings alone.
  const body = (await InstabaseInput.of(req, ['data', 'settings', 'statusCode', 'error'])).object();
  const { data } = body;
  if (data !== undefined && body.settings !== undefined) {
    throw new DomainError('invalid', 'send the settings once: in data.settings, as GET /settings answers them, or in settings, not both', 'settings');
  }
  if (data && typeof data === 'object') {
    const other = Object.keys(data).find((key) => key !== 'settings');
    if (other !== undefined) throw new DomainError('invalid', `unknown field "data.${other}": data holds the settings alone`, `data.${other}`);
    return { settings: (data as Record<string, unknown>).settings, at: 'data.settings' };
  }
  const { settings } = body;
  if (settings === undefined) throw new DomainError('invalid', 'send the settings document as GET /settings returns it: {"data": {"settings": {...}}}', 'data.settings');
  return { settings, at: 'settings' };
}

/** Instabase Deployment Manager: setup, database, platform version, settings (../shared/seeds/004). */
@Controller(API_ROOT)
export class InstabasePlatformController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  @Get('setup')
  @HeadRefused()
  @Needs('admin')
  async setUp(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    refuseHead(req);
    const actor = await this.auth.authorized(req);
    // The document's answer is the status alone; what setting up changed is pushed by the config-store.
    const { status } = await sendCommand(this.commands, SetUpDeploymentManager, {}, actor, req);
    send(req, res, 200, { status });
  }

  private async setupStatus(req: FastifyRequest, res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, await ask(this.commands, SetupStatus, {}));
  }

  /** The document's table says POST, its example GET: both are served. */
  @Post('setup/status')
  @Needs('read')
  setupStatusPost(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.setupStatus(req, res);
  }

  @Get('setup/status')
  @Needs('read')
  setupStatusGet(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.setupStatus(req, res);
  }

  @Post('database/setup')
  @Needs('admin')
  async database(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    send(req, res, 200, await sendCommand(this.commands, SetUpDatabase, (await InstabaseInput.of(req, DATABASE_FIELDS)).object(DATABASE_BOOLEANS), actor, req));
  }

  @Post('database/mock_ddl')
  @Needs('read')
  async mockDdl(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, await ask(this.commands, MockDdl, (await InstabaseInput.of(req, DATABASE_FIELDS)).object(DATABASE_BOOLEANS)));
  }

  @Get('database/connection')
  @Needs('read')
  async connection(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const { ok: reachable } = await ask(this.commands, DatabaseConnection, {});
    // The document's answer for a database that does not answer is 500 (not a 503 to retry).
    if (!reachable) throw new DomainError('internal', 'the database does not answer');
    send(req, res, 200, ok(null));
  }

  @Get('platform/version')
  @Needs('read')
  async version(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const { releaseVersion } = await ask(this.commands, PlatformVersion, {});
    if (releaseVersion === null) throw new DomainError('not-found', 'no release yet: upload base configs first');
    send(req, res, 200, ok({ release_version: releaseVersion }));
  }

  @Get('settings')
  @Needs('read')
  async settings(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    const settings = await ask(this.commands, GetSettings, {});
    // Secret settings (app passwords, webhook URLs, a URL's password) are for admins; others see that one is set.
    const visible = (await this.auth.holds(req, undefined, 'admin')) ? settings : settingsAsReadersSee(settings);
    send(req, res, 200, ok({ settings: visible }));
  }

  @Post('settings')
  @Needs('admin')
  async updateSettings(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const { settings, at } = await settingsOf(req);
    const outcome = await sendCommand(this.commands, UpdateSettings, { settings }, actor, req, { settings: at });
    send(req, res, 200, { updatedConfigs: { successful_apply: outcome.successfulApply, failed_to_apply: outcome.failedToApply } });
  }
}
