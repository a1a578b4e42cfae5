import { RouteConfig } from '@nestjs/platform-fastify';

/** Marks a route that takes file uploads: server.ts gives it SLIPWAY_UPLOAD_LIMIT as its body limit. */
export const UPLOAD_ROUTE = 'slipwayUpload';

export const UploadRoute = () => RouteConfig({ [UPLOAD_ROUTE]: true });
