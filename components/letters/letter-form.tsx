'use client';

import { useRouter } from 'next/navigation';
import { useMemo, useState, useTransition } from 'react';
import { Mail } from 'lucide-react';
import { FormError } from '@/components/form-error';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import type { LetterFormContext } from '@/lib/letters/submit';
import {
  DETAIL_LABELS,
  DETAIL_LEVELS,
  INSURANCE_LETTER_TYPES,
  INSURANCE_TYPE_LABELS,
  LANGUAGE_LABELS,
  LETTER_LANGUAGES,
  PATIENT_TONES,
  RECIPIENT_LABELS,
  TEMPLATE_DESCRIPTIONS,
  TEMPLATE_LABELS,
  TEMPLATE_RECIPIENTS,
  TONE_LABELS,
  type DetailLevel,
  type InsuranceLetterType,
  type LetterLanguage,
  type LetterTemplate,
  type PatientTone,
  type RecipientType,
} from '@/lib/letters/options';
import type { ActionResult } from '@/lib/web/action';

export interface LetterFormProps {
  context: LetterFormContext;
  submit: (input: unknown) => Promise<ActionResult<{ jobId: string; letterId: string }>>;
}

const OTHER = 'other';
const blank = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/**
 * The "write a letter" form on a completed analysis. Fields appear only when the
 * chosen template uses them (tone and detail for patient letters; kind, procedure,
 * insurer and justification for insurance letters), and every field shown is sent.
 */
export function LetterForm({ context, submit }: LetterFormProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const firstUrgent = context.diagnoses.find((d) => d.urgent);
  const [template, setTemplate] = useState<LetterTemplate>(context.templates[0] ?? 'patient_summary');
  const [recipientType, setRecipientType] = useState<RecipientType>(() => TEMPLATE_RECIPIENTS[template][0] ?? 'other');
  const [language, setLanguage] = useState<LetterLanguage>('en');
  const [to, setTo] = useState('');
  const [from, setFrom] = useState(context.defaultFrom);
  const [reason, setReason] = useState<string>(String((firstUrgent ?? context.diagnoses[0])?.number ?? OTHER));
  const [reasonText, setReasonText] = useState('');
  const [referralFocus, setReferralFocus] = useState('');
  const [specialRequests, setSpecialRequests] = useState('');
  const [tone, setTone] = useState<PatientTone>('warm');
  const [detail, setDetail] = useState<DetailLevel>('standard');
  const [insuranceLetterType, setInsuranceLetterType] = useState<InsuranceLetterType>('prior_auth');
  const [procedure, setProcedure] = useState('');
  const [insurer, setInsurer] = useState('');
  const [justification, setJustification] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const focusOptions = useMemo(() => {
    if (reason === OTHER) return context.otherFocusOptions;
    return context.diagnoses.find((d) => String(d.number) === reason)?.focusOptions ?? context.otherFocusOptions;
  }, [reason, context]);

  function chooseTemplate(next: LetterTemplate) {
    setTemplate(next);
    if (!TEMPLATE_RECIPIENTS[next].includes(recipientType)) setRecipientType(TEMPLATE_RECIPIENTS[next][0] ?? 'other');
  }

  function chooseReason(next: string) {
    setReason(next);
    setReferralFocus('');
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    const isPatient = template === 'patient_summary';
    const isInsurance = template === 'insurance';
    const input = {
      analysisJobId: context.analysisJobId,
      idempotencyKey,
      request: {
        template,
        recipientType,
        language,
        to,
        from,
        reason: reason === OTHER ? { kind: 'other', text: reasonText } : { kind: 'diagnosis', diagnosisNumber: Number(reason) },
        referralFocus: blank(referralFocus),
        specialRequests: blank(specialRequests),
        tone: isPatient ? tone : null,
        detail: isPatient ? detail : null,
        insuranceLetterType: isInsurance ? insuranceLetterType : null,
        procedure: isInsurance ? blank(procedure) : null,
        insurer: isInsurance ? blank(insurer) : null,
        justification: isInsurance ? blank(justification) : null,
      },
    };
    startTransition(async () => {
      const result = await submit(input);
      if (result.ok) {
        router.push(`/jobs/${result.data.jobId}`);
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors ? 'Check the highlighted fields.' : result.error);
    });
  }

  const err = (key: string) => errors[key]?.[0];

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-describedby="letter-form-help">
      <p id="letter-form-help" className="text-sm text-slate-600">
        The letter is drafted from this analysis. You can edit it, keep versions and export it as a PDF on your clinic’s letterhead.
      </p>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Template" error={err('template')} description={TEMPLATE_DESCRIPTIONS[template]}>
          <Select value={template} onChange={(e) => chooseTemplate(e.target.value as LetterTemplate)}>
            {context.templates.map((t) => (
              <option key={t} value={t}>
                {TEMPLATE_LABELS[t]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Recipient" error={err('recipientType')}>
          <Select value={recipientType} onChange={(e) => setRecipientType(e.target.value as RecipientType)}>
            {TEMPLATE_RECIPIENTS[template].map((r) => (
              <option key={r} value={r}>
                {RECIPIENT_LABELS[r]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="To" required error={err('to')} description="Name, service and place, as it should appear on the letter.">
          <Input value={to} onChange={(e) => setTo(e.target.value)} maxLength={300} autoComplete="off" />
        </Field>
        <Field label="From" required error={err('from')} description="Who signs the letter.">
          <Input value={from} onChange={(e) => setFrom(e.target.value)} maxLength={200} autoComplete="off" />
        </Field>
        <Field label="Reason" error={err('reason')}>
          <Select value={reason} onChange={(e) => chooseReason(e.target.value)}>
            {context.diagnoses.map((d) => (
              <option key={d.number} value={String(d.number)}>
                {d.label}
                {d.icd10Code ? ` (${d.icd10Code})` : ''}
              </option>
            ))}
            <option value={OTHER}>Other reason…</option>
          </Select>
        </Field>
        {reason === OTHER ? (
          <Field label="Other reason" required error={err('reasonText')}>
            <Input value={reasonText} onChange={(e) => setReasonText(e.target.value)} maxLength={300} autoComplete="off" />
          </Field>
        ) : (
          <div className="hidden sm:block" aria-hidden="true" />
        )}
        <Field label="Referral focus" error={err('referralFocus')} description="What you are asking the recipient to do.">
          <Select value={referralFocus} onChange={(e) => setReferralFocus(e.target.value)}>
            <option value="">No specific focus</option>
            {focusOptions.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Language" error={err('language')}>
          <Select value={language} onChange={(e) => setLanguage(e.target.value as LetterLanguage)}>
            {LETTER_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_LABELS[l]}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      {template === 'patient_summary' && (
        <fieldset className="grid gap-5 rounded-lg border border-slate-200 p-4 sm:grid-cols-2">
          <legend className="px-1 text-sm font-semibold text-slate-900">Patient letter</legend>
          <Field label="Tone" error={err('tone')}>
            <Select value={tone} onChange={(e) => setTone(e.target.value as PatientTone)}>
              {PATIENT_TONES.map((t) => (
                <option key={t} value={t}>
                  {TONE_LABELS[t]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Detail" error={err('detail')}>
            <Select value={detail} onChange={(e) => setDetail(e.target.value as DetailLevel)}>
              {DETAIL_LEVELS.map((d) => (
                <option key={d} value={d}>
                  {DETAIL_LABELS[d]}
                </option>
              ))}
            </Select>
          </Field>
        </fieldset>
      )}

      {template === 'insurance' && (
        <fieldset className="grid gap-5 rounded-lg border border-slate-200 p-4 sm:grid-cols-2">
          <legend className="px-1 text-sm font-semibold text-slate-900">Insurance letter</legend>
          <Field label="Letter type" error={err('insuranceLetterType')}>
            <Select value={insuranceLetterType} onChange={(e) => setInsuranceLetterType(e.target.value as InsuranceLetterType)}>
              {INSURANCE_LETTER_TYPES.map((t) => (
                <option key={t} value={t}>
                  {INSURANCE_TYPE_LABELS[t]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Procedure or treatment" required error={err('procedure')}>
            <Input value={procedure} onChange={(e) => setProcedure(e.target.value)} maxLength={300} autoComplete="off" />
          </Field>
          <Field label="Insurer" error={err('insurer')}>
            <Input value={insurer} onChange={(e) => setInsurer(e.target.value)} maxLength={200} autoComplete="off" />
          </Field>
          <Field label="Justification" error={err('justification')} description="Anything the insurer should weigh, in your words." className="sm:col-span-2">
            <Textarea value={justification} onChange={(e) => setJustification(e.target.value)} rows={3} maxLength={2000} />
          </Field>
        </fieldset>
      )}

      <Field label="Special requests" error={err('specialRequests')} description="Woven into the letter in its own words, e.g. “ask for a visual field test before the visit”.">
        <Textarea value={specialRequests} onChange={(e) => setSpecialRequests(e.target.value)} rows={3} maxLength={1000} />
      </Field>

      <FormError message={formError ?? err('form')} />
      <Button type="submit" loading={pending}>
        <Mail className="size-4" aria-hidden="true" />
        {pending ? 'Starting…' : 'Write the letter'}
      </Button>
    </form>
  );
}
