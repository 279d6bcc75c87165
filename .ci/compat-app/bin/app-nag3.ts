#!/usr/bin/env node
// cdk-nag 3: rule packs are aws-cdk-lib validation plugins; any finding fails the synthesis.
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { compatApp } from '../lib/compat-app';

const app = compatApp();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new NIST80053R5Checks(app, { verbose: true }));
