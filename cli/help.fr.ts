/**
 * Les textes d’aide (--help) en français, pour les commandes qui en ont une traduction ; les textes anglais restent dans
 * leurs modules (LOCAL_HELP …). cli/i18n.test.ts vérifie que chaque aide française cite les mêmes options que l’anglaise.
 */
import { DEFAULT_SERVER } from './default-server.ts';
import { frenchSpaced } from '../core/i18n/format.ts';

const EXIT_FR = `Codes de sortie :
  0    tout est fait
  1    échec (une erreur inattendue a arrêté l’exécution)
  2    impossible de démarrer (arguments erronés, une source qui ne peut pas être ouverte, pas de terminal pour confirmer)
  3    terminé, avec des éléments en échec ou ignorés (chacun listé avec sa raison)
  130  arrêté par Ctrl-C ou SIGTERM (les éléments terminés restent, rien n’est à moitié écrit)`;

const MAIN_FR = `Utilisation : quintet <commande> [options]

Synchronisation de dossiers pour une à cinq personnes ; voici le membre sans interface (aucun navigateur nécessaire).

Commandes :
  local <dir> <dir> […]   synchroniser des dossiers de cette machine (Miroir, Mise à jour, Bidirectionnel)
  versions <dir>          lister les exécutions et les versions conservées dans un dossier
  restore <dir> <path>    remettre en place une version conservée d’un fichier ou d’un dossier
  undo <dir>              annuler la dernière exécution sur un dossier, là où rien n’a changé depuis
  create --source <dir>   démarrer une session cloud en tant que meneur (affiche identifiant, mot de passe, lien
                          d’invitation, mots de sécurité)
  join <id|lien>          rejoindre une session cloud avec les sources de cet ordinateur et suivre le meneur
  run <profile.json>      exécuter un profil enregistré maintenant, à une heure (--at) ou chaque jour (--daily) ;
                          chaque exécution est enregistrée
  report [<run-id>]       les exécutions enregistrées, les plus récentes d’abord (--last N, --json, --csv), ou une
                          exécution en détail
  group create|join       un groupe permanent : le fichier de groupe et l’invitation du pivot, ou le fichier d’un
                          membre à partir de l’invitation
  test <profile.json>     test de connexion : le serveur, le rendez-vous, les membres du groupe en ligne, les versions
                          du protocole
  serve                   lancer le serveur de signalisation (comme npm start)
  help [commande]         cette aide, ou celle d’une commande

quintet <commande> --help affiche les options d’une commande.

${EXIT_FR}`;

const LOCAL_FR = `Utilisation : quintet local <dir> <dir> [<dir> …] [options]

Synchronise des dossiers (ou des fichiers seuls, comme sources) de cette machine : inventaire, comparaison, plan,
confirmation, synchronisation, résultat. Les sources sont A1, A2 … dans l’ordre donné.

Options :
  --preset mirror|update|two-way   que faire ; sans lui, seule la comparaison est affichée
  --from <code> --to <code>        Miroir et Mise à jour : de quelle source vers laquelle (par défaut A1 → A2)
  -y, --yes                        démarrer sans demander (nécessaire hors d’un terminal)
  --no-fsync                       ne pas forcer l’écriture sur le disque des fichiers et dossiers écrits (plus
                                   rapide pour beaucoup de fichiers ou de gros fichiers ; après une coupure de
                                   courant, un fichier tout juste écrit peut être vide ou absent)
  -h, --help                       cette aide

Miroir rend la cible identique à la source (suppressions comprises) ; Mise à jour copie ce qui est nouveau ou plus
récent et ne supprime rien ; Bidirectionnel propage chaque changement depuis la dernière synchronisation
bidirectionnelle des mêmes sources, suppressions comprises. Tout ce qui est remplacé ou supprimé est conservé dans
<cible>/.quintet/versions/<exécution>/. Les fichiers copiés gardent leur date de modification et leurs droits. Les
liens symboliques, tubes, sockets et périphériques sont ignorés et listés. L’index de chaque dossier est dans
<dossier>/.quintet/index.json ; l’historique bidirectionnel dans $QUINTET_STATE_DIR (par défaut
~/.local/state/quintet).`;

const REPORT_FR = `Utilisation : quintet report [<run-id>] [--last N] [--json | --csv]

Liste les exécutions enregistrées par quintet run dans $QUINTET_HOME/runs/, les plus récentes d’abord, ou affiche une
exécution avec chaque élément en échec ou ignoré et pourquoi.

Options :
  --last N   seulement les N exécutions les plus récentes
  --json     un tableau JSON d’enregistrements (un seul enregistrement avec <run-id>)
  --csv      CSV (RFC 4180) avec une ligne d’en-tête, une ligne par exécution
  -h, --help cette aide

Le JSON et le CSV restent en anglais (noms de champs et valeurs), pour les programmes qui les lisent.`;

const COMMON_FR = `  --source <dir>                   un dossier (ou un fichier seul) qu’apporte ce membre ; à répéter pour d’autres
                                   (codes <lettre>1, <lettre>2 …)
  --server <url>                   le serveur de signalisation (par défaut $QUINTET_SERVER, sinon ${DEFAULT_SERVER})
  --name <device>                  le nom que voient les autres membres (par défaut le nom d’hôte de cette machine)
  --no-fsync                       ne pas forcer l’écriture sur le disque des fichiers et dossiers écrits (plus
                                   rapide pour beaucoup de fichiers ou de gros fichiers ; après une coupure de
                                   courant, un fichier tout juste écrit peut être vide ou absent)
  -h, --help                       cette aide`;

const CREATE_FR = `Utilisation : quintet create --source <dir> [--source <dir> …] [options]

Démarre une session cloud dont cet ordinateur est le meneur (membre A, sources A1, A2 …) et affiche l’identifiant de
session, le mot de passe, le lien d’invitation et les mots de sécurité (de nouveau à chaque changement). Les autres
rejoignent depuis la page (le lien, ou l’identifiant et le mot de passe) ou avec quintet join. Sans --preset, il reste
dans la session et sert ses fichiers aux autres jusqu’à Ctrl-C.

Options :
${COMMON_FR}
  --preset mirror|update|two-way   faire une synchronisation sans surveillance (demande --yes et --members), puis partir
  --from <code> --to <code>        Miroir et Mise à jour : de quelle source vers laquelle (par défaut A1 → B1)
  --members <n>                    démarrer quand n membres (celui-ci compris, 2 à 5) sont là, chacun avec une source
  --role <letter>=<role>           le rôle d’un membre, répétable : send-receive (par défaut), send-only (ses sources
                                   ne sont jamais écrites) ou receive-only (ses changements ne se propagent pas) ;
                                   par exemple --role B=send-only
  -y, --yes                        synchroniser sans demander (le plan est affiché d’abord)
  --continuous                     synchronisation continue : chaque changement d’un membre parvient aux autres
                                   (tours bidirectionnels automatiques, docs/protocol.md §12) ; jusqu’à Ctrl-C

En meneur, il attend les membres, lance l’inventaire, planifie le préréglage, synchronise, affiche le résultat de
chaque membre et sort : 0 tout est fait, 3 des éléments en échec ou ignorés (ou un dossier dont l’écriture sur le
disque n’est pas garantie), 1 échec, 2 impossible de démarrer (arguments erronés, serveur injoignable), 130 Ctrl-C. Un
membre qui part en cours d’exécution renvoie tout le monde à l’attente : tout reprend quand n membres sont là.`;

const JOIN_FR = `Utilisation : quintet join <session-id | invite-link> [--password <password>] --source <dir> [--source <dir> …] [options]

Rejoint une session cloud avec les sources de cet ordinateur et suit le meneur : il fait l’inventaire de ses sources
quand le meneur lance un inventaire, exécute sa part de chaque synchronisation (les actions dont la cible est une de
ses sources, en recevant les blocs de leurs détenteurs) et sert ses propres fichiers aux autres. Il affiche les
membres, les mots de sécurité (comparez-les avec ceux des autres), la progression et le résultat de chaque membre, et
reste jusqu’à la fin de la session ou Ctrl-C. Ctrl-C part tout de suite ; une copie en cours est abandonnée, son
fichier temporaire supprimé, rien n’est à moitié écrit.

Options :
  --password <password>            le mot de passe de session (ou dans le lien d’invitation, ou $QUINTET_PASSWORD)
  --local-changes keep|revert      quand le meneur a mis ce membre en réception seule : ses propres changements ne se
                                   propagent pas et sont listés après chaque exécution ; les garder (par défaut) ou
                                   les annuler tout de suite (l’état des autres revient, ce qu’il remplace va dans
                                   les versions)
${COMMON_FR}

Codes de sortie : 0 la session est terminée et chaque exécution faite, 3 des éléments en échec ou ignorés lors de la
dernière exécution (ou un de ses dossiers dont l’écriture sur le disque n’est pas garantie), 1 échec, 2 impossible de
démarrer (arguments erronés, mot de passe faux, session inconnue, serveur injoignable), 130 Ctrl-C.`;

const RUN_FR = `Utilisation : quintet run <profile.json> [options]

Exécute un profil enregistré (docs/profiles.md) sans personne au clavier : aucune question n’est posée. Chaque
exécution est enregistrée dans $QUINTET_HOME/runs/ (voir quintet report) et annoncée par les avis du profil (webhook,
e-mail).

Options :
  --at HH:MM[:SS]      attendre cette heure de la journée, puis exécuter (au lieu du schedule.at du profil)
  --daily              exécuter chaque jour à cette heure et continuer, comme un service, jusqu’à l’arrêt
  --time-zone <zone>   le fuseau IANA de --at (par défaut le schedule.timeZone du profil, sinon celui de cette machine)
  --now                exécuter une fois maintenant, quel que soit l’horaire du profil
  --extend <duration>  ne pas exécuter : dire au quintet run de ce profil qui attend des membres d’attendre plus
                       longtemps (30m, 90s, 2h)
  -h, --help           cette aide

Sans --at, --daily ni --now, l’horaire du profil s’applique ; un profil sans horaire s’exécute une fois, maintenant.
Les chemins des sources d’un profil doivent être absolus. SIGINT (Ctrl-C) et SIGTERM arrêtent proprement :
l’exécution en cours est enregistrée comme arrêtée ; arrêté pendant l’attente de l’heure, rien n’est enregistré.
Code de sortie de la dernière exécution : 0 ok, 3 partial ou no-members, 1 failed, 130 stopped ; 2 quand elle n’a
pas pu démarrer.`;

const GROUP_FR = `Utilisation : quintet group create <group.json> --name <group name> [--server <url>]
       quintet group join <group.json> <invite>

Un groupe permanent se retrouve à chaque exécution sans nouvel identifiant de session ni mot de passe
(docs/protocol.md §11).

  create   (le pivot) écrit <group.json> (mode 0600) : un nouveau secret de groupe de 32 octets, la paire de clés de
           signature du pivot, le serveur (par défaut $QUINTET_SERVER, sinon ${DEFAULT_SERVER}) et le nom du groupe ;
           affiche l’invitation.
  join     (un membre) écrit <group.json> à partir de l’invitation du pivot (sans la clé secrète du pivot).

L’invitation contient le secret du groupe : transmettez-la comme un mot de passe (par un canal privé, jamais public).
Quiconque la détient peut rejoindre les exécutions du groupe. Un fichier existant n’est jamais remplacé.`;

const VERSIONS_FR = `Utilisation : quintet versions <dir> [--path <path>]

Liste ce que Quintet a conservé dans <dir> : ses exécutions, les plus récentes d’abord, et pour chacune ce qu’elle a
remplacé ou supprimé (chemin, taille, date de modification, nature, et la source d’où venait sa copie). Les versions
sont dans <dir>/.quintet/versions/<exécution>/, et la liste de ce qu’a fait chaque exécution dans
<dir>/.quintet/runs/<exécution>.json.

Options :
  --path <path>   seulement les versions de ce fichier ou dossier (un dossier : aussi tout ce qui y est conservé)
  -h, --help      cette aide`;

const RESTORE_FR = `Utilisation : quintet restore <dir> <path> [--run <run>]

Remet en place à <path> (relatif à <dir>) une version conservée d’un fichier ou d’un dossier : la plus récente, ou
celle qu’a conservée l’exécution <run> (voir quintet versions). Ce qui se trouve à <path> est d’abord conservé, sous
l’exécution propre à la restauration : une restauration ne perd rien et peut elle-même être annulée (quintet undo).
La version reste conservée.

Options :
  --run <run>   l’exécution dont restaurer la version (par défaut la plus récente qui en a conservé une)
  -h, --help    cette aide`;

const UNDO_FR = `Utilisation : quintet undo <dir> [--yes]

Annule la dernière exécution sur <dir> (une synchronisation, une restauration ou une annulation) : remet en place ce
qu’elle a remplacé ou supprimé et déplace ce qu’elle a créé dans les versions de l’annulation, élément par élément,
seulement là où l’élément est toujours exactement ce que l’exécution a laissé (empreinte du contenu vérifiée). Ce qui
a changé depuis est listé et laissé tel quel (code de sortie 3). Rien n’est supprimé définitivement : une annulation
est une exécution à part entière, l’annuler à son tour rétablit l’exécution.

Options :
  -y, --yes    annuler sans demander (nécessaire hors d’un terminal)
  -h, --help   cette aide`;

const TEST_FR = `Utilisation : quintet test <profile.json> [--wait <duration>]

Le test de connexion. Il joint le serveur de signalisation du profil (son /health donne la version du protocole et
indique s’il connaît les groupes permanents) ; puis, pour un profil cloud :
  hub     crée le rendez-vous de test du groupe (pas celui d’une exécution : rien n’est synchronisé) et attend au plus
          --wait (par défaut 30s) les membres attendus, qui doivent lancer quintet test en même temps ; indique quel
          membre n’est pas en ligne ou parle une autre version du protocole.
  member  trouve le rendez-vous de test du pivot dans le délai --wait, vérifie que son meneur prouve être le pivot
          du groupe et que les deux parlent la même version du protocole.
Pour un profil local, il vérifie que chaque source peut être lue.

Codes de sortie : 0 tout va bien, 1 le serveur est injoignable (ou refuse le rendez-vous), 2 impossible de démarrer
(arguments, profil ou fichier de groupe erronés), 3 le serveur va bien mais un membre ou le pivot n’est pas en ligne
ou est incompatible, 130 Ctrl-C. Chaque problème tient en une ligne qui dit qui et pourquoi.`;

const SERVE_FR = `Utilisation : quintet serve [--port <n>] [--host <address>]

Démarre le serveur Quintet : la PWA (construisez-la d’abord avec npm run build), GET /health, GET /ice et le
WebSocket de signalisation /signal, comme le fait npm start. Les réglages viennent de l’environnement (PORT, HOST,
QUINTET_ADMIN_TOKEN, QUINTET_STUN_URLS, QUINTET_TURN_URLS, QUINTET_TURN_SECRET et les limites contre les abus :
docs/signaling-protocol.md) ; --port et --host remplacent PORT et HOST. Ctrl-C l’arrête.

Options :
  --port <n>         port d’écoute (par défaut 8787)
  --host <address>   adresse d’écoute (par défaut 127.0.0.1)
  -h, --help         cette aide`;

// Written with ordinary spaces; frenchSpaced puts the no-break ones before : ; ? ! and inside « ».
export const helpFr = frenchSpaced({ main: MAIN_FR, local: LOCAL_FR, report: REPORT_FR, create: CREATE_FR, join: JOIN_FR, run: RUN_FR, group: GROUP_FR,
  versions: VERSIONS_FR, restore: RESTORE_FR, undo: UNDO_FR, test: TEST_FR, serve: SERVE_FR,
});
export type HelpKey = keyof typeof helpFr;
