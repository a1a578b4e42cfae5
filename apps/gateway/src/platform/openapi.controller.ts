import { Controller, Get } from '@nestjs/common';
import { buildOpenApi } from './openapi';
import { ServedRoutes } from './served-routes';
import { AnswersAnyone } from '../http/route-marks';

@Controller()
export class OpenApiController {
  private document?: ReturnType<typeof buildOpenApi>;

  constructor(private readonly served: ServedRoutes) {}

  /** Built on first request, once every route is registered. */
  @Get('openapi.json')
  @AnswersAnyone()
  openapi() {
    this.document ??= buildOpenApi(this.served.list());
    return this.document;
  }
}
