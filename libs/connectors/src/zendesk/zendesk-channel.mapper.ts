import type { Channel } from '@replywatch/contracts';

/**
 * The contact's channel from the ticket's `via.channel`, a via type
 * (https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types) or the short
 * names event webhooks use (`web`, `email`, `voice`, …). Case is ignored.
 *
 * | via.channel                                                        | channel  |
 * | ------------------------------------------------------------------ | -------- |
 * | chat, chat_transcript, messaging, native_messaging, sms            | `chat`   |
 * | email, mail, web, web_form                                         | `email`  |
 * | voice, voicemail, phone, phone_call_inbound, phone_call_outbound   | `phone`  |
 * | twitter, twitter_dm, twitter_favorite, facebook, facebook_post,    | `social` |
 * | facebook_message, whatsapp, instagram, instagram_dm                |          |
 * | via ids 0 (web_form) and 4 (mail)                                  | `email`  |
 * | anything else (api, web_service, rule, mobile, …) or none          | `chat`   |
 */
const CHANNEL_BY_VIA: ReadonlyMap<string, Channel> = new Map([
  ['chat', 'chat'],
  ['chat_transcript', 'chat'],
  ['messaging', 'chat'],
  ['native_messaging', 'chat'],
  ['sms', 'chat'],
  ['email', 'email'],
  ['mail', 'email'],
  ['web', 'email'],
  ['web_form', 'email'],
  ['0', 'email'],
  ['4', 'email'],
  ['voice', 'phone'],
  ['voicemail', 'phone'],
  ['phone', 'phone'],
  ['phone_call_inbound', 'phone'],
  ['phone_call_outbound', 'phone'],
  ['twitter', 'social'],
  ['twitter_dm', 'social'],
  ['twitter_favorite', 'social'],
  ['facebook', 'social'],
  ['facebook_post', 'social'],
  ['facebook_message', 'social'],
  ['whatsapp', 'social'],
  ['instagram', 'social'],
  ['instagram_dm', 'social'],
]);

export function channelOfVia(via: string | number | null | undefined): Channel {
  return (
    CHANNEL_BY_VIA.get(
      String(via ?? '')
        .trim()
        .toLowerCase(),
    ) ?? 'chat'
  );
}
