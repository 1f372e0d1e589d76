import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';
import {
  type DocumentsStore,
  documentsBucketArnExportName,
} from '../constructs/documents-access.ts';
import { acknowledge } from '../nag/nag-checks.ts';

export interface DataStackProps extends StackProps {
  readonly config: ShanyuConfig;
}

/** The overloaded global secondary indexes; `shared/db` builds their keys. */
export const globalSecondaryIndexes = ['gsi1', 'gsi2', 'gsi3', 'gsi4'] as const;

/**
 * The secret each table's functions key 身份证 numbers with (shared/privacy/id-key.ts), found
 * through the table every function is given.
 */
export const idKeySecretOfTable = new WeakMap<object, ISecret>();

/**
 * The key the log groups of each table's functions, state machines and API are encrypted with,
 * found through the table as the ID-number secret is.
 */
export const logsKeyOfTable = new WeakMap<object, IKey>();

/** Stateful resources, kept apart so that compute stacks can be replaced without touching data. */
export class DataStack extends Stack {
  public readonly table: Table;
  /** Encrypts the table (and so its backups and streams). */
  public readonly tableKey: Key;
  /**
   * Encrypts the log groups. Logs are redacted of 身份证 and phone numbers before they are
   * written, but still name cases and people's roles; a key of their own keeps the table key's
   * policy to the functions that read case data.
   */
  public readonly logsKey: Key;
  /**
   * The HMAC key for 身份证 numbers in table keys. Losing or rotating it orphans every such key
   * (child-month locks, registry entries), so it lives and dies with the data.
   */
  public readonly idKeySecret: Secret;
  /**
   * Files uploaded for filings (营业执照, 消防安全检查合格证明, …): clients PUT and GET them through
   * presigned URLs; the table holds each file's record (`DOC#<ref>`).
   */
  public readonly documentsBucket: Bucket;
  /** The documents bucket as the compute stacks are given it. */
  public readonly documents: DocumentsStore;
  /** S3 server access logs of the documents bucket: who fetched or stored which file, when. */
  public readonly documentsAccessLogsBucket: Bucket;

  public constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tableKey = new Key(this, 'TableKey', {
      description: `${config.prefix}Table: case data`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: config.isProd ? Duration.days(30) : Duration.days(7),
    });

    this.logsKey = new Key(this, 'LogsKey', {
      description: `${config.prefix}Logs: log groups of functions, workflows and the API`,
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
      pendingWindow: config.isProd ? Duration.days(30) : Duration.days(7),
    });
    // CloudWatch Logs encrypts with it for log groups of this account and region only.
    this.logsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt*',
          'kms:Decrypt*',
          'kms:ReEncrypt*',
          'kms:GenerateDataKey*',
          'kms:Describe*',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );

    /**
     * The single table.
     *
     * ```
     * Access patterns (every one is a key or index query; never a Scan):
     *  1. Case by id (and its form: 33) ........ table pk=CASE#<caseId>          sk=CASE
     *  2. A case's audit events, in order ...... table pk=CASE#<caseId>          sk begins_with EVENT#
     *  3. A case's tasks ....................... table pk=CASE#<caseId>          sk begins_with TASK#
     *  4. Task by id ........................... gsi1  gsi1pk=TASK#<taskId>     gsi1sk=TASK
     *  5. Cases of an applicant, newest first .. gsi2  gsi2pk=APPLICANT#<sub>    gsi2sk=<createdAt>#<caseId>
     *  6. Inbox: a queue's tasks by status, by due date
     *     ...................................... gsi2  gsi2pk=INBOX#<role>#<scope>#<status>  gsi2sk=<dueAt>#<taskId>
     *  7. Cases of a district, by status, by date
     *     ...................................... gsi3  gsi3pk=DISTRICT#<district>  gsi3sk=<status>#<createdAt>#<caseId>
     *  8. Inbox narrowed to one case type ...... gsi3  gsi3pk=INBOX#<role>#<scope>#<status>#<caseType>  gsi3sk=<dueAt>#<taskId>
     *  9. Cases of a provider, newest first .... gsi4  gsi4pk=PROVIDER#<providerId>  gsi4sk=<createdAt>#<caseId>
     * 10. Decisions recorded, not yet delivered to their workflow (sparse)
     *     ...................................... gsi4  gsi4pk=DELIVERY#PENDING  gsi4sk=<decidedAt>#<taskId>
     * 11. Notifications not yet sent (sparse) .. gsi4  gsi4pk=OUTBOX#PENDING    gsi4sk=<next due time>#<notificationId>
     * 12. Notifications of a day, in order ..... table pk=OUTBOX#<yyyy-mm-dd>   sk=<createdAt>#<notificationId>
     * 13. Idempotency records (Powertools) .... table pk=IDEMPOTENCY#<function>  sk=<hashed key>
     * 14. Payments of a case ................... table pk=PAYMENT#<caseId>  sk=MONTH#<YYYY-MM>#<benefit>
     * 15. Payments of a month and district, by status
     *     ...................................... gsi3  gsi3pk=PAYMENTS#<month>#<district>  gsi3sk=<status>#<caseId>#<benefit>
     * 16. Disbursement batch of a month+district table pk=PAYBATCH#<month>#<district>  sk=BATCH
     * 17. A child-month's claim (one per child per month)
     *     ...................................... table pk=CLAIMLOCK#<idKey>#<month>  sk=LOCK
     * 18. A provider in our registry ........... table pk=PROVIDER#<providerId>  sk=PROFILE
     * 19. Registry fakes (local/demo) .......... table pk=REGISTRY#RESIDENT#<idKey> sk=RESIDENT;
     *                                                  pk=REGISTRY#ENTERPRISE#<uscc> sk=ENTERPRISE
     * 20. A document's record .................. table pk=DOC#<ref>  sk=DOC
     * 21. Public registry: registered providers, by district (sparse)
     *     ...................................... gsi3  gsi3pk=REGISTRY#PROVIDERS  gsi3sk=<district>#<providerId>
     * 22. Public registry: the inclusive (普惠) ones (sparse)
     *     ...................................... gsi2  gsi2pk=REGISTRY#PROVIDERS#INCLUSIVE  gsi2sk=<district>#<providerId>
     * 23. A provider's audit events, in order .. table pk=PROVIDER#<providerId>  sk begins_with EVENT#
     * 24. A provider's filing in progress (one at a time)
     *     ...................................... table pk=REGLOCK#<providerId>  sk=LOCK
     * 25. An organisation's provider id ........ table pk=ORGANISATION#<uscc>  sk=PROVIDER
     * 26. Waiver months of a case .............. table pk=WAIVER#<caseId>  sk=MONTH#<YYYY-MM>
     * 27. A provider's waivers of a month ...... gsi3  gsi3pk=WAIVERS#<providerId>#<month>  gsi3sk=<caseId>
     * 28. Waivers active in a month (sparse) ... gsi4  gsi4pk=WAIVERS#ACTIVE#<month>  gsi4sk=<caseId>
     * 29. A child-month's waiver (one per child per month)
     *     ...................................... table pk=WAIVERLOCK#<idKey>#<month>  sk=LOCK
     * 30. Undecided tasks by their next deadline, follow-up then due (sparse; the deadline sweeper
     *     reads gsi4sk <= now, so only what is due)
     *     ...................................... gsi4  gsi4pk=DUE#TASKS  gsi4sk=<followUpAt|dueAt>#<taskId>
     * 31. Escalated tasks (督办) of a district's supervisors, and of the city's
     *     ...................................... gsi2  gsi2pk=INBOX#supervisor#D:<district>#escalated  gsi2sk=<dueAt>#<taskId>
     *     ...................................... gsi3  gsi3pk=INBOX#supervisor#D:city#escalated  gsi3sk=<dueAt>#<taskId>
     *     (the entry: table pk=CASE#<caseId>  sk=ESCALATION#<taskId>)
     * 32. Registrations due a renewal reminder, 60 and 30 days before expiry (sparse)
     *     ...................................... gsi4  gsi4pk=DUE#RENEWALS  gsi4sk=<remindAt>#<providerId>
     * 33. A case's submitted form, in no index (read with the case: sk begins_with CASE)
     *     ...................................... table pk=CASE#<caseId>          sk=CASE#FORM
     * <idKey>: a keyed hash of a 身份证 number (shared/privacy/id-key.ts); no key holds the number.
     *
     * <scope> of a queue: D:<district> for staff roles, P:<providerId> for providers, A:<sub> for
     * the applicant. The sparse "pending" partitions hold only items in flight (seconds to minutes).
     * ```
     */
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: config.isProd,
      removalPolicy: config.removalPolicy,
    });
    this.idKeySecret = new Secret(this, 'IdKeySecret', {
      description: `${config.prefix}HMAC key for ID numbers in table keys`,
      encryptionKey: this.tableKey,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    acknowledge(
      this.idKeySecret,
      'AwsSolutions-SMG4',
      'The HMAC key behind every keyed 身份证 hash in table keys: rotating it would orphan every ' +
        'child-month lock and registry entry keyed with the old value.',
    );
    idKeySecretOfTable.set(this.table, this.idKeySecret);
    logsKeyOfTable.set(this.table, this.logsKey);
    this.documentsAccessLogsBucket = new Bucket(this, 'DocumentsAccessLogsBucket', {
      // Server access log delivery supports SSE-S3 only, not KMS.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(config.logRetention) }],
      removalPolicy: config.removalPolicy,
    });
    acknowledge(
      this.documentsAccessLogsBucket,
      'AwsSolutions-S1',
      "This bucket holds the documents bucket's access logs; logging it too would only log " +
        'the log delivery.',
    );
    this.documentsBucket = new Bucket(this, 'DocumentsBucket', {
      serverAccessLogsBucket: this.documentsAccessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      // The table's key: documents are case data, under the same key policy and rotation.
      encryption: BucketEncryption.KMS,
      encryptionKey: this.tableKey,
      // One data key per bucket instead of a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        {
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          // A replaced or deleted file is personal data too: its old version goes after 30 days
          // (time to undo a mistake), and the delete marker left alone after it.
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
      ],
      // No autoDeleteObjects: it adds a custom-resource Lambda built from CDK's own asset, which
      // the local cloud would take for one of ours. So deleting a dev stack whose bucket holds
      // files fails until the bucket (every version) is emptied by hand.
      removalPolicy: config.removalPolicy,
      cors: [
        {
          // Browsers upload and download directly with the presigned URLs. Any origin for now:
          // the web console's origin will be configured here once it has one; the URLs
          // themselves are the authorisation.
          allowedOrigins: ['*'],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
    for (const indexName of globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: `${indexName}pk`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    const arnExportName = documentsBucketArnExportName(config.prefix);
    this.exportValue(this.documentsBucket.bucketArn, { name: arnExportName });
    this.documents = { bucket: this.documentsBucket, arnExportName };
  }
}
