import type { EscalationDocumentInput } from './escalation-document.schema';

/**
 * Without an escalation file, every breach pages the ALERT_EMAIL_TO addresses by e-mail, once:
 * the behaviour a new install needs before anyone writes chains.
 */
export function builtinEscalationDocument(recipients: readonly string[]): EscalationDocumentInput {
  return {
    people: recipients.map((email, index) => ({ id: `alert-recipient-${index + 1}`, email })),
    chains: [
      {
        id: 'default',
        name: 'E-mail ALERT_EMAIL_TO (no ESCALATION_FILE set)',
        levels: [
          {
            notify: recipients.map((_, index) => ({
              target: `person:alert-recipient-${index + 1}`,
            })),
          },
        ],
      },
    ],
  };
}
