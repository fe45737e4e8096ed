import { Module } from '@nestjs/common';
import { ResourceController } from './resource.controller.js';

@Module({ controllers: [ResourceController] })
export class ResourceModule {}
