/** Tout le texte français ; le type impose une traduction pour chaque clé anglaise. */
import type { MessageKey } from './en.ts';
import { frenchSpaced } from '../../../core/i18n/format.ts';
import { localFr } from './local.fr.ts';
import { cloudFr } from './cloud.fr.ts';
import { cloudRunFr } from './cloud-run.fr.ts';
import { skippedFr } from './skipped.fr.ts';
import { appFr } from './app.fr.ts';
import { runsFr } from './runs.fr.ts';
import { conflictsFr } from './conflicts.fr.ts';
import { gridFr } from './grid.fr.ts';
import { versionsFr } from './versions.fr.ts';
import { rememberedFr } from './remembered.fr.ts';
import { rolesFr } from './roles.fr.ts';
import { continuousFr } from './continuous.fr.ts';

// Written with ordinary spaces; frenchSpaced puts the no-break ones before : ; ? ! and inside « ».
export const fr: Record<MessageKey, string> = frenchSpaced({ ...localFr, ...cloudFr, ...cloudRunFr, ...skippedFr, ...appFr, ...runsFr, ...conflictsFr, ...versionsFr, ...rememberedFr, ...rolesFr, ...gridFr, ...continuousFr });
