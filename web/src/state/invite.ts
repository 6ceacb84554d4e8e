/** Reads an invite link's fragment at start-up; kept apart from the cloud session so the home page loads without libsodium. */
import { parseInviteLink } from '../../../core/crypto/invite.ts';

/** The join form's initial values: from an invite link's fragment, which is then removed from the address bar. */
export function takeInvite(): { sessionId: string; password: string } | null {
  const invite = parseInviteLink(location.href);
  if (invite) history.replaceState(null, '', location.pathname + location.search);
  return invite;
}
