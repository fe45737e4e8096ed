import { Module } from '@nestjs/common';
import { ClientAddressResolver } from './client-address.js';
import { LoginThrottle } from './login-throttle.service.js';
import { ThrottlePruner } from './throttle.pruner.js';
import { ThrottleRepository } from './throttle.repository.js';

/** Brute-force defence: shared failure counters per account and per client address. */
@Module({
  providers: [ThrottleRepository, LoginThrottle, ClientAddressResolver, ThrottlePruner],
  exports: [LoginThrottle, ClientAddressResolver],
})
export class ThrottlingModule {}
