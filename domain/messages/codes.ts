/** Refusals about messages (R7); texts in locales/<language>/messages.json. */
export const MESSAGES_CODES = [
  'messages.subject_required',
  'messages.subject_too_long',
  'messages.body_required',
  'messages.body_too_long',
  'messages.audience_required',
  'messages.lawyers_write_to_office',
  'messages.no_such_bureau',
  'messages.no_such_lawyer',
  'messages.no_such_thread',
  'messages.no_such_attachment',
  'messages.reply_to_office_instead',
  'messages.file_empty',
  'messages.file_wrong_type',
  'messages.file_too_large',
  'messages.too_many_files',
] as const;

export type MessagesCode = (typeof MESSAGES_CODES)[number];
