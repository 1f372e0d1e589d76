import { SESv2Client, SendEmailCommand, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { PublishCommand, type PublishCommandOutput, SNSClient } from '@aws-sdk/client-sns';
import type { Role } from '../auth/roles.ts';
import { logger as sharedLogger } from '../logging/logger.ts';
import { maskMiddle } from '../validation/mask.ts';
import { maskMobile, toNationalMobile } from '../validation/phone.ts';
import type { TemplateId } from './notification.ts';

/** Where a message goes once its recipient has been resolved. */
export type Address =
  | { readonly kind: 'sms'; readonly phone: string }
  | {
      readonly kind: 'topic';
      readonly role: Role;
      readonly scope: string;
      /** The person holding the task the message is about, if claimed. */
      readonly holder?: string;
    }
  | { readonly kind: 'email'; readonly email: string };

export interface OutgoingMessage {
  readonly notificationId: string;
  readonly template: TemplateId;
  readonly caseId: string;
  readonly address: Address;
  /** For e-mail and topic subscribers. */
  readonly subject: string;
  readonly text: string;
}

export interface NotificationChannel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/** Retrying will not help: the message cannot be delivered as addressed. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A channel was handed an address of a kind it does not serve (a routing bug). */
export class UnsupportedAddressError extends UndeliverableError {
  constructor(channel: string, kind: Address['kind']) {
    super(`Channel ${channel} cannot send to a ${kind} address`);
  }
}

export class InvalidPhoneNumberError extends UndeliverableError {
  constructor(phone: string) {
    super(`Not a mainland mobile number: ${maskMobile(phone)}`);
  }
}

/** The channels need settings the environment does not provide. */
export class NotificationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotificationConfigError';
  }
}

/** An address fit for logs and for the outbox's record of where a message went. */
export function describeAddress(address: Address): string {
  switch (address.kind) {
    case 'sms':
      return maskMobile(address.phone);
    case 'topic':
      return `${address.role}@${address.scope}`;
    case 'email': {
      const at = address.email.lastIndexOf('@');
      if (at < 0) return maskMiddle(address.email, 1, 0);
      const local = address.email.slice(0, at);
      return `${local.slice(0, 1)}${'*'.repeat(Math.max(local.length - 1, 3))}${address.email.slice(at)}`;
    }
  }
}

/** The parts of an SDK v3 client a channel uses: injectable, so tests pass a fake. */
interface CommandSender<Command, Output> {
  send(command: Command): Promise<Output>;
}

export type SnsPublisher = CommandSender<PublishCommand, PublishCommandOutput>;
export type SesEmailSender = CommandSender<SendEmailCommand, SendEmailCommandOutput>;

function requireMessageId(channel: string, messageId: string | undefined): { messageId: string } {
  // Without an id there is nothing to trace the delivery by; treat it as not sent.
  if (!messageId) throw new Error(`${channel}: the service returned no message id`);
  return { messageId };
}

/** SMS straight to a mainland mobile number (applicants). */
export class SnsSmsChannel implements NotificationChannel {
  readonly name = 'sns-sms';

  constructor(
    private readonly client: CommandSender<PublishCommand, PublishCommandOutput> = new SNSClient(
      {},
    ),
  ) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (message.address.kind !== 'sms') {
      throw new UnsupportedAddressError(this.name, message.address.kind);
    }
    const national = toNationalMobile(message.address.phone);
    if (national === undefined) throw new InvalidPhoneNumberError(message.address.phone);
    const output = await this.client.send(
      new PublishCommand({
        PhoneNumber: `+86${national}`,
        Message: message.text,
        MessageAttributes: {
          // Transactional: routed for reliability, and delivered even to numbers on DND lists.
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      }),
    );
    return requireMessageId(this.name, output.MessageId);
  }
}

/**
 * Staff queues: one topic, its subscriptions filtered on the `role`, `scope` and `template`
 * message attributes, so each caseworker hears about their own queue only.
 */
export class SnsTopicChannel implements NotificationChannel {
  readonly name = 'sns-topic';

  constructor(
    private readonly topicArn: string,
    private readonly client: CommandSender<PublishCommand, PublishCommandOutput> = new SNSClient(
      {},
    ),
  ) {
    if (topicArn === '') throw new NotificationConfigError('The notification topic ARN is empty');
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (message.address.kind !== 'topic') {
      throw new UnsupportedAddressError(this.name, message.address.kind);
    }
    const output = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: message.subject,
        Message: message.text,
        MessageAttributes: {
          role: { DataType: 'String', StringValue: message.address.role },
          scope: { DataType: 'String', StringValue: message.address.scope },
          template: { DataType: 'String', StringValue: message.template },
          // A claimed task's holder hears about it even without a queue subscription.
          ...(message.address.holder
            ? { holder: { DataType: 'String', StringValue: message.address.holder } }
            : {}),
        },
      }),
    );
    return requireMessageId(this.name, output.MessageId);
  }
}

export interface SesSender {
  readonly fromAddress: string;
  /** The verified SES identity the address belongs to (domain or address), when known. */
  readonly identityArn?: string;
}

/** E-mail through SES, for recipients who have an address. */
export class SesEmailChannel implements NotificationChannel {
  readonly name = 'ses-email';

  constructor(
    private readonly sender: SesSender,
    private readonly client: SesEmailSender = new SESv2Client({}),
  ) {
    if (sender.fromAddress === '') {
      throw new NotificationConfigError('The sender e-mail address is empty');
    }
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (message.address.kind !== 'email') {
      throw new UnsupportedAddressError(this.name, message.address.kind);
    }
    const output = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.sender.fromAddress,
        ...(this.sender.identityArn
          ? { FromEmailAddressIdentityArn: this.sender.identityArn }
          : {}),
        Destination: { ToAddresses: [message.address.email] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        },
      }),
    );
    return requireMessageId(this.name, output.MessageId);
  }
}

/** What the log channel writes with: the shared logger, or anything shaped like it. */
export interface LogSink {
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

/**
 * Sends nothing: writes one log line per message, the address masked. The local cloud uses it
 * (SHANYU_NOTIFICATION_CHANNEL=log) so that flows run end to end without SNS or SES.
 */
export class LogChannel implements NotificationChannel {
  readonly name = 'log';

  constructor(private readonly sink: LogSink = sharedLogger) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    this.sink.info('Notification (log channel)', {
      notificationId: message.notificationId,
      template: message.template,
      caseId: message.caseId,
      channel: message.address.kind,
      to: describeAddress(message.address),
      subject: message.subject,
      text: message.text,
    });
    return { messageId: `log-${message.notificationId}` };
  }
}

/** One channel per kind of address; e-mail is optional until someone has an address. */
export interface ChannelSet {
  readonly sms: NotificationChannel;
  readonly topic: NotificationChannel;
  readonly email?: NotificationChannel;
}

export function channelFor(address: Address, channels: ChannelSet): NotificationChannel {
  const channel = channels[address.kind];
  if (channel === undefined) throw new UnsupportedAddressError('(none configured)', address.kind);
  return channel;
}

/**
 * The sender of e-mail: NOTIFICATION_EMAIL_FROM if set, else the SES identity of SES_IDENTITY_ARN
 * (an address identity is the address; a domain identity sends as `noreply@<domain>`).
 */
export function sesSenderFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): SesSender | undefined {
  const identityArn = env.SES_IDENTITY_ARN || undefined;
  const identity = identityArn?.slice(identityArn.indexOf(':identity/') + ':identity/'.length);
  const fromAddress =
    env.NOTIFICATION_EMAIL_FROM ||
    (identityArn?.includes(':identity/') && identity
      ? identity.includes('@')
        ? identity
        : `noreply@${identity}`
      : undefined);
  if (fromAddress === undefined) return undefined;
  return { fromAddress, ...(identityArn ? { identityArn } : {}) };
}

/**
 * The channels this environment sends through: all logging when SHANYU_NOTIFICATION_CHANNEL=log;
 * otherwise SNS (NOTIFICATION_TOPIC_ARN required) and SES when a sender is configured (see
 * {@link sesSenderFromEnvironment}). A missing topic fails the whole run on purpose: the
 * notifications stay pending until it is fixed.
 */
export function channelsFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ChannelSet {
  if (env.SHANYU_NOTIFICATION_CHANNEL === 'log') {
    const log = new LogChannel();
    return { sms: log, topic: log, email: log };
  }
  const topicArn = env.NOTIFICATION_TOPIC_ARN;
  if (!topicArn) throw new NotificationConfigError('NOTIFICATION_TOPIC_ARN is not set');
  const sns = new SNSClient({});
  const sender = sesSenderFromEnvironment(env);
  return {
    sms: new SnsSmsChannel(sns),
    topic: new SnsTopicChannel(topicArn, sns),
    ...(sender ? { email: new SesEmailChannel(sender) } : {}),
  };
}
