#!/usr/bin/env node
// cdk-nag 2: rule packs are Aspects; findings are error and warning annotations, which fail `cdk synth --strict`.
import { Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { compatApp } from '../lib/compat-app';

const app = compatApp();
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new NIST80053R5Checks({ verbose: true }));
