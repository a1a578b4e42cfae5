import Fastify from 'fastify';

// Its parent (the bench) gone, it goes too.
process.on('disconnect', () => process.exit(0));

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
void app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  const address = app.server.address();
  process.send?.(typeof address === 'object' && address ? address.port : 0);
});
