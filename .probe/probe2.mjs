import 'reflect-metadata';
import { LoggerModule } from 'nestjs-pino';
const orig = LoggerModule.prototype.configure;
LoggerModule.prototype.configure = function (consumer) { console.log('configure called', JSON.stringify(this.params.forRoutes)); return orig.call(this, consumer); };
await import('./probe.mjs');
