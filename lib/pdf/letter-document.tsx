// The letter as a react-pdf document: letterhead (first page), To / From / Date /
// Re, the patient line, the body, the signature, and a footer with page numbers
// on every page. Everything printed is text from the input; nothing is parsed as
// markup.
import { Document, Image, Page, StyleSheet, Text, View } from '@react-pdf/renderer';
import type { LetterBlock, TextRun } from '@/lib/letters/content';
import { LETTER_FONT_FAMILY } from './fonts';
import { formatLongDate, patientLine } from './format';
import type { LetterPdfInput } from './letter-pdf';

export interface LetterDocumentProps {
  input: LetterPdfInput;
  /** Logo and signature already converted to PNG or JPEG (./images.ts). */
  logo: Buffer | null;
  signature: Buffer | null;
  /** Written into the Creator and Producer fields. */
  producer: string;
}

const INK = '#1f2328';
const MUTED = '#6b7280';
const RULE = '#d0d4da';
const URGENT = '#b42318';

// Line height is set on each text style together with its font size, never on the page:
// react-pdf multiplies a unitless line height by the font size of the same style (18 when
// it has none), and re-applies it to the inherited result each time it lays out repeated
// page furniture, so a page-wide one grows the footer's page number out of sight.
const BODY = { fontSize: 10.5, lineHeight: 1.45 } as const;

const styles = StyleSheet.create({
  page: {
    fontFamily: LETTER_FONT_FAMILY,
    fontSize: 10.5,
    color: INK,
    paddingTop: 48,
    paddingBottom: 66,
    paddingHorizontal: 56,
  },
  continuation: { position: 'absolute', top: 24, left: 56, right: 56, fontSize: 8, color: MUTED },
  letterhead: { flexDirection: 'row', alignItems: 'center' },
  logo: { height: 52, maxWidth: 150, objectFit: 'contain', marginRight: 14 },
  clinicName: { fontSize: 15, fontWeight: 700, lineHeight: 1.2 },
  contact: { fontSize: 8.5, color: MUTED, lineHeight: 1.35 },
  rule: { borderBottomWidth: 0.75, borderBottomColor: RULE, marginTop: 10, marginBottom: 14 },
  headerRow: { flexDirection: 'row', alignItems: 'flex-start' },
  fields: { flexGrow: 1, flexShrink: 1 },
  field: { flexDirection: 'row', marginBottom: 1.5 },
  fieldLabel: { width: 40, fontWeight: 700, ...BODY },
  fieldValue: { flexGrow: 1, flexShrink: 1, ...BODY },
  urgent: {
    marginLeft: 12,
    paddingVertical: 3,
    paddingHorizontal: 8,
    borderWidth: 1.25,
    borderColor: URGENT,
    borderRadius: 3,
    color: URGENT,
    fontSize: 11,
    fontWeight: 700,
    lineHeight: 1.2,
  },
  patient: {
    marginTop: 10,
    marginBottom: 8,
    paddingVertical: 5,
    paddingHorizontal: 8,
    backgroundColor: '#f3f4f6',
    borderRadius: 3,
    fontSize: 9.5,
    lineHeight: 1.4,
  },
  // Blocks are spaced with marginTop only: react-pdf moves a block that fits to the next
  // page when its bottom margin does not fit, which would strand the heading above it.
  heading: { fontSize: 12.5, fontWeight: 700, lineHeight: 1.3, marginTop: 14 },
  paragraph: { marginTop: 8, ...BODY },
  afterHeading: { marginTop: 3 },
  bold: { fontWeight: 700 },
  italic: { fontStyle: 'italic' },
  boldItalic: { fontWeight: 700, fontStyle: 'italic' },
  list: { marginTop: 8 },
  item: { flexDirection: 'row' },
  nextItem: { flexDirection: 'row', marginTop: 2.5 },
  bullet: { width: 14, paddingLeft: 3, ...BODY },
  number: { width: 22, textAlign: 'right', paddingRight: 5, ...BODY },
  itemText: { flexGrow: 1, flexShrink: 1, ...BODY },
  signature: { marginTop: 20 },
  signatureAfterSignOff: { marginTop: 6 },
  signatureImage: { height: 46, maxWidth: 180, objectFit: 'contain', objectPosition: 'left', marginBottom: 4 },
  signatureName: { fontWeight: 700, ...BODY },
  footer: {
    position: 'absolute',
    bottom: 30,
    left: 56,
    right: 56,
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 8,
    color: MUTED,
    borderTopWidth: 0.5,
    borderTopColor: RULE,
    paddingTop: 6,
  },
});

/** Points of the page a heading needs below it to stay on that page (about two lines of its paragraph). */
const HEADING_PRESENCE_AHEAD = 40;
const TWO_LINES = 32;
/** List items up to this long (about six lines) are never split across pages. */
const UNBROKEN_ITEM_CHARACTERS = 600;

const runsLength = (runs: readonly TextRun[]): number => runs.reduce((n, run) => n + run.text.length, 0);

function Runs({ runs }: { runs: readonly TextRun[] }) {
  return runs.map((run, i) => (
    // Only what a run changes is set, so a heading's own weight carries through its plain runs.
    <Text key={i} style={run.bold && run.italic ? styles.boldItalic : run.bold ? styles.bold : run.italic ? styles.italic : undefined}>
      {run.text}
    </Text>
  ));
}

function Block({ block, afterHeading }: { block: LetterBlock; afterHeading: boolean }) {
  const close = afterHeading ? styles.afterHeading : undefined;
  if (block.type === 'heading') {
    return (
      <Text style={styles.heading} minPresenceAhead={HEADING_PRESENCE_AHEAD}>
        <Runs runs={block.runs} />
      </Text>
    );
  }
  if (block.type === 'paragraph') {
    return (
      <Text style={[styles.paragraph, close ?? {}]}>
        <Runs runs={block.runs} />
      </Text>
    );
  }
  return (
    <View style={[styles.list, close ?? {}]}>
      {block.items.map((item, i) => (
        // A short item moves to the next page whole, so its marker never stays behind.
        <View key={i} style={i === 0 ? styles.item : styles.nextItem} wrap={runsLength(item) > UNBROKEN_ITEM_CHARACTERS}>
          <Text style={block.ordered ? styles.number : styles.bullet} minPresenceAhead={TWO_LINES}>
            {block.ordered ? `${i + 1}.` : '•'}
          </Text>
          <Text style={styles.itemText}>
            <Runs runs={item} />
          </Text>
        </View>
      ))}
    </View>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.field}>
      <Text style={styles.fieldLabel}>{label}</Text>
      <Text style={styles.fieldValue}>{value}</Text>
    </View>
  );
}

function Letterhead({ clinic, logo }: { clinic: LetterPdfInput['clinic']; logo: Buffer | null }) {
  const address = (clinic.address ?? '').split('\n').map((line) => line.trim());
  const contact = [...address, clinic.phone?.trim() && `Phone ${clinic.phone.trim()}`, clinic.fax?.trim() && `Fax ${clinic.fax.trim()}`].filter(
    (line): line is string => !!line,
  );
  return (
    <View>
      <View style={styles.letterhead}>
        {/* eslint-disable-next-line jsx-a11y/alt-text -- react-pdf's Image has no alt; the clinic name is printed beside it as text. */}
        {logo ? <Image src={logo} style={styles.logo} /> : null}
        <View style={styles.fields}>
          <Text style={styles.clinicName}>{clinic.name}</Text>
          {contact.map((line, i) => (
            <Text key={i} style={styles.contact}>
              {line}
            </Text>
          ))}
        </View>
      </View>
      <View style={styles.rule} />
    </View>
  );
}

/** A short closing paragraph at the end ("Sincerely,", "Kind regards,") is kept with the signature. */
const SIGN_OFF_MAX_CHARACTERS = 60;

function splitSignOff(blocks: readonly LetterBlock[]): { body: readonly LetterBlock[]; signOff: LetterBlock | null } {
  const last = blocks.at(-1);
  if (blocks.length > 1 && last?.type === 'paragraph' && runsLength(last.runs) <= SIGN_OFF_MAX_CHARACTERS) {
    return { body: blocks.slice(0, -1), signOff: last };
  }
  return { body: blocks, signOff: null };
}

export function LetterDocument({ input, logo, signature, producer }: LetterDocumentProps) {
  const patient = patientLine(input.patient);
  const { body, signOff } = splitSignOff(input.content.blocks);
  const continuation = [input.clinic.name, input.patient.name?.trim()].filter(Boolean).join(' · ');
  return (
    <Document
      title={input.title}
      author={input.signature.name}
      creator={producer}
      producer={producer}
      creationDate={input.createdAt}
      modificationDate={input.createdAt}
    >
      <Page size={input.pageSize === 'a4' ? 'A4' : 'LETTER'} style={styles.page} wrap>
        <Text style={styles.continuation} fixed render={({ pageNumber }) => (pageNumber > 1 ? continuation : '')} />
        <View style={styles.footer} fixed>
          <Text>{input.whiteLabel ? '' : 'Prepared with Maneiro'}</Text>
          <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
        </View>
        <Letterhead clinic={input.clinic} logo={logo} />
        <View style={styles.headerRow}>
          <View style={styles.fields}>
            <Field label="To" value={input.header.to} />
            <Field label="From" value={input.header.from} />
            <Field label="Date" value={formatLongDate(input.header.date)} />
            <Field label="Re" value={input.header.re} />
          </View>
          {input.urgent ? <Text style={styles.urgent}>URGENT</Text> : null}
        </View>
        {patient ? <Text style={styles.patient}>{patient}</Text> : <View style={{ height: 16 }} />}
        {body.map((block, i) => (
          <Block key={i} block={block} afterHeading={body[i - 1]?.type === 'heading'} />
        ))}
        {/* The sign-off ("Sincerely,"), the signature and the name stay together on one page. */}
        <View wrap={false}>
          {signOff ? <Block block={signOff} afterHeading={false} /> : null}
          <View style={signOff ? styles.signatureAfterSignOff : styles.signature}>
            {/* eslint-disable-next-line jsx-a11y/alt-text -- react-pdf's Image has no alt; the provider's name follows as text. */}
            {signature ? <Image src={signature} style={styles.signatureImage} /> : null}
            <Text style={styles.signatureName}>{input.signature.name}</Text>
          </View>
        </View>
      </Page>
    </Document>
  );
}
