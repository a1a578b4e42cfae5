import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import { DomainError, ImportTelemetry, PlatformStatus, StartTelemetryExport, TelemetryExportStatus, TelemetryImportConfigs, TelemetryImportStatus } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../../auth/authenticator';
import { parseBody } from '../../http/parse-body';
import { send } from '../../http/respond';
import { ok } from './envelope';
import { queryOf } from '../../http/query';
import { ReadsQuery } from '../../http/query-parameters';
import { Needs, UploadRoute } from '../../http/route-marks';
import { InstabaseInput } from './input';
import { IMPORT_LIMITS, readArchive, refuserFor, type ArchiveSelection } from './archive';
import { API_ROOT, ask, sendCommand } from './route';

/** What an import reads of an export (telescope.handlers.ts in telemetry), wherever they lie in it. */
const EXPORT_FILES_READ: ArchiveSelection = {
  keep: (path) => ['manifest.json', 'configs.json'].includes(path.split('/').pop()!),
  none: 'not a telescope export (no valid manifest.json)',
};

/** The document's own example writes a time as 13.08.45.131Z; read it as 13:08:45.131Z. */
const isoTime = (value: unknown): unknown => (typeof value === 'string' ? value.replace(/T(\d{2})\.(\d{2})\.(\d{2})/, 'T$1:$2:$3') : value);

/** Instabase Deployment Manager: telemetry (obs/telescope) and platform status, served by telemetry. */
@Controller(API_ROOT)
export class InstabaseTelescopeController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  /** A write (a job, and a file on the telemetry host): `submit`, as the import. */
  @Post('obs/telescope/export')
  @Needs('submit')
  async export(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const body = await parseBody(req.body, req.headers['content-type']);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DomainError('invalid', 'the body must be a JSON object');
    const request = { ...(body as Record<string, unknown>) };
    request.start = isoTime(request.start);
    request.end = isoTime(request.end);
    send(req, res, 200, ok(await sendCommand(this.commands, StartTelemetryExport, request, actor, req)));
  }

  @Get('obs/telescope/export/:id/status')
  @Needs('read')
  async exportStatus(@Param('id') id: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, TelemetryExportStatus, { id })));
  }

  /**
   * An export (.zip, .tar.gz or .tar) is unpacked and checked here by the same archive
   * reader as base-config uploads (hostile archives are a 400, nothing stored); telemetry
   * gets the two files an import reads back, the logs and audit events are skipped.
   */
  @Post('obs/telescope/import')
  @UploadRoute()
  @Needs('submit')
  async import(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const file = (await InstabaseInput.of(req, ['file'])).file('file');
    if (!file) throw new DomainError('invalid', 'send the telemetry .zip as the multipart field "file"', 'file');
    const files = readArchive(file.bytes, refuserFor(file.filename, 'file'), IMPORT_LIMITS, EXPORT_FILES_READ);
    send(req, res, 200, ok(await sendCommand(this.commands, ImportTelemetry, { fileName: file.filename, files }, actor, req)));
  }

  /** The document lists `id` as a query parameter of both reads, and puts it in the path: either, or both when they agree. */
  @Get('obs/telescope/import/:id/configs')
  @ReadsQuery('id')
  @Needs('read')
  async importConfigs(@Param('id') id: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, TelemetryImportConfigs, { id: importIdOf(id, req) })));
  }

  @Get('obs/telescope/import/:id/status')
  @ReadsQuery('id')
  @Needs('read')
  async importStatus(@Param('id') id: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, TelemetryImportStatus, { id: importIdOf(id, req) })));
  }

  @Get('platform-status/components')
  @Needs('read')
  async components(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, PlatformStatus, {})));
  }
}

/** The import's id in the path, refused when the query names another. */
function importIdOf(pathId: string, req: FastifyRequest): string {
  const queried = queryOf(req).id;
  if (queried !== undefined && queried !== pathId) throw new DomainError('invalid', `the query's id ${JSON.stringify(queried)} is not the path's ${JSON.stringify(pathId)}: name one import`, 'id');
  return pathId;
}
