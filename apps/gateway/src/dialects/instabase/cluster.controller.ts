import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@slipway/bus';
import {
  AutoscaledResources, AutoscalingStatus, ClusterNamespace, DeleteJob, DeletePod, FindInconsistencies, HibernateCluster,
  PauseAutoscaling, PushConfigs, QuarantinePod, ResizeCluster, ResumeAutoscaling, ReviveCluster, type Contract,
} from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { Authenticator } from '../../auth/authenticator';
import { send } from '../../http/respond';
import { ok, pushed } from './envelope';
import { InstabaseInput } from './input';
import { API_ROOT, ask, sendCommand } from './route';
import { driftCallerMaySee } from './secret-reads';
import { Needs } from '../../http/route-marks';

/**
 * Instabase Deployment Manager: what acts on the cluster (../shared/seeds/004). Each
 * route sends a deployer command or query; the deployer carries it out.
 */
@Controller(API_ROOT)
export class InstabaseClusterController {
  constructor(private readonly commands: CommandBus, private readonly auth: Authenticator) {}

  /**
   * `payload` is read from the request only once the token is known to be an admin's: 401
   * and 403 come before 400. By default the route takes no fields.
   */
  private async act(req: FastifyRequest, res: FastifyReply, contract: Contract<z.ZodType>, payload: () => unknown = async () => (await InstabaseInput.of(req, [])).object(), names: Record<string, string> = {}) {
    const actor = await this.auth.authorized(req);
    await sendCommand(this.commands, contract, await payload(), actor, req, names);
    send(req, res, 200, ok(null));
  }

  @Post('deployment/update')
  @Needs('submit')
  async pushAll(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    await InstabaseInput.of(req, []);
    send(req, res, 200, pushed(await sendCommand(this.commands, PushConfigs, {}, actor, req)));
  }

  @Post('deployment/update/:object')
  @Needs('submit')
  async pushOne(@Param('object') object: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    await InstabaseInput.of(req, []);
    send(req, res, 200, pushed(await sendCommand(this.commands, PushConfigs, { objects: [object] }, actor, req, { objects: 'object', 'objects.0': 'object' })));
  }

  private async inconsistencies(req: FastifyRequest, res: FastifyReply) {
    await this.auth.authorized(req);
    const found = await driftCallerMaySee(this.auth, req, await ask(this.commands, FindInconsistencies, {}));
    const skipped = Object.fromEntries(Object.entries(found.skippedResources).map(([name, s]) => [name, { ...s, readon: s.reason }]));
    send(req, res, 200, { ...found, numInconstencies: found.numInconsistencies, skippedResources: skipped });
  }

  @Get('configs/k8s-inconsistencies')
  @Needs('read')
  inconsistenciesGet(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.inconsistencies(req, res);
  }

  /** The document's table says GET, its curl example POST: both are served. */
  @Post('configs/k8s-inconsistencies')
  @Needs('read')
  inconsistenciesPost(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.inconsistencies(req, res);
  }

  @Post('deployment/hibernate')
  @Needs('admin')
  hibernate(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, HibernateCluster);
  }

  @Post('deployment/revive')
  @Needs('admin')
  revive(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, ReviveCluster);
  }

  @Post('autoscaling/controllers/pause')
  @Needs('admin')
  pause(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, PauseAutoscaling);
  }

  @Post('autoscaling/controllers/resume')
  @Needs('admin')
  resume(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, ResumeAutoscaling);
  }

  @Get('autoscaling/controllers/status')
  @Needs('read')
  async autoscalingStatus(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, await ask(this.commands, AutoscalingStatus, {}));
  }

  @Get('resourcing/autoscaled')
  @Needs('read')
  async autoscaled(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, AutoscaledResources, {})));
  }

  @Post('resourcing/cluster/:size')
  @Needs('admin')
  async resize(@Param('size') size: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    await InstabaseInput.of(req, []);
    send(req, res, 200, pushed(await sendCommand(this.commands, ResizeCluster, { size }, actor, req)));
  }

  @Delete('kube/job/:name')
  @Needs('admin')
  deleteJob(@Param('name') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, DeleteJob, () => ({ name }), { name: 'JOB_NAME' });
  }

  @Post('kube/pod/delete')
  @Needs('admin')
  deletePod(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, DeletePod, async () => ({ pod: (await InstabaseInput.of(req, ['pod'])).required('pod') }));
  }

  @Post('kube/pod/quarantine')
  @Needs('admin')
  quarantinePod(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.act(req, res, QuarantinePod, async () => ({ pod: (await InstabaseInput.of(req, ['pod'])).required('pod') }));
  }

  @Get('deployments/namespace')
  @Needs('read')
  async namespace(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    await this.auth.authorized(req);
    send(req, res, 200, ok(await ask(this.commands, ClusterNamespace, {})));
  }
}
