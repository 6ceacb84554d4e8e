/** All English user text: one file per area so features don't collide; the merged object's keys are the contract. */
import { localEn } from './local.en.ts';
import { cloudEn } from './cloud.en.ts';
import { cloudRunEn } from './cloud-run.en.ts';
import { skippedEn } from './skipped.en.ts';
import { appEn } from './app.en.ts';
import { runsEn } from './runs.en.ts';
import { conflictsEn } from './conflicts.en.ts';
import { gridEn } from './grid.en.ts';
import { versionsEn } from './versions.en.ts';
import { rememberedEn } from './remembered.en.ts';
import { rolesEn } from './roles.en.ts';
import { continuousEn } from './continuous.en.ts';

export const en = { ...localEn, ...cloudEn, ...cloudRunEn, ...skippedEn, ...appEn, ...runsEn, ...conflictsEn, ...versionsEn, ...rememberedEn, ...rolesEn, ...gridEn, ...continuousEn };
export type MessageKey = keyof typeof en;
