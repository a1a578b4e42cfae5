import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
void app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  const address = app.server.address();
  process.send?.(typeof address === 'object' && address ? address.port : 0);
});
