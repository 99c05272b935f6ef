import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateTriage, parseAnnotatedDocuments } from '@/lib/triage/eval';
import { triageOffline } from '@/lib/triage/offline';
import { repairTriageOutput } from '@/lib/triage/run';
import { parseTriageTaskKey, triageOutputSchema } from '@/lib/triage/schema';

const documents = parseAnnotatedDocuments(readFileSync('tests/fixtures/triage/documents.jsonl', 'utf8'));

describe('offline triage evaluation', () => {
  it('has at least 24 annotated documents covering every document type but other', () => {
    expect(documents.length).toBeGreaterThanOrEqual(24);
    const types = new Set(documents.map((d) => d.documentType));
    for (const t of ['referral_request', 'consultation_report', 'lab_results', 'insurance', 'records_request', 'prescription', 'correspondence', 'marketing']) expect(types).toContain(t);
  });

  // Floors at ~80 % of the measured values (type 92.6 %, urgency 100 %, name 100 %, fax 100 %).
  it('stays above the regression floors', () => {
    const report = evaluateTriage(documents);
    expect(report.schemaValid).toBe(report.documents);
    expect(report.typeAccuracy).toBeGreaterThanOrEqual(0.74);
    expect(report.urgencyAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.patientNameAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.faxAccuracy).toBeGreaterThanOrEqual(0.8);
  });
});

describe('offline triage output', () => {
  it('writes concrete tasks for a critical lab and never takes the receiving fax as the sender', () => {
    const out = triageOffline(`Lab report
To: Maple Clinic   Fax: (555) 111-2222
From: Hilltop Laboratories   Fax: (555) 333-4444
Patient: Jane Sample   DOB: 01/02/1950
Potassium 6.6 mmol/L (H) reference range 3.5-5.1`);
    expect(triageOutputSchema.safeParse(out).success).toBe(true);
    expect(out.documentType).toBe('lab_results');
    expect(out.urgency).toBe('urgent');
    expect(out.from.fax).toBe('(555) 333-4444');
    expect(out.regarding).toEqual({ patientName: 'Jane Sample', dateOfBirth: '01/02/1950' });
    expect(out.doctorTasks.join('\n')).toMatch(/potassium 6\.6/i);
    expect(out.frontDeskTasks.join('\n')).toMatch(/scan lab results into chart/i);
  });

  it('keeps marketing routine with a discard task and no doctor tasks, even when it says urgent', () => {
    const out = triageOffline('URGENT: special offer for your practice! 40% off exam tables. Limited time offer. To be removed from our fax list call 1-800-555-0100.');
    expect(out.documentType).toBe('marketing');
    expect(out.urgency).toBe('routine');
    expect(out.frontDeskTasks[0]).toBe('Discard: marketing');
    expect(out.doctorTasks).toEqual([]);
  });

  it('repairs unknown enums and missing lists, showing an unreadable urgency as urgent', () => {
    const repaired = repairTriageOutput({ documentType: 'Lab Results', urgency: 'whenever', from: null, frontDeskTasks: 'Call the lab' });
    expect(repaired.documentType).toBe('lab_results');
    expect(repaired.urgency).toBe('urgent');
    expect(repaired.frontDeskTasks).toEqual(['Call the lab']);
    expect(triageOutputSchema.safeParse(repaired).success).toBe(true);
  });

  it('parses task keys strictly', () => {
    expect(parseTriageTaskKey('doctor:2')).toEqual({ list: 'doctor', index: 2 });
    expect(parseTriageTaskKey('nurse:1')).toBeNull();
    expect(parseTriageTaskKey('doctor:-1')).toBeNull();
  });
});
