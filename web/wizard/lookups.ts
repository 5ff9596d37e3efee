/** "Axtar" in the wizard (R4.1.2, R4.1.3): the person by FIN, the entity by VÖEN, through the API's look-up service. */
import type { Response } from 'express';
import { type FieldError, displayName, fieldError, isValidFin, isValidVoen, normalizeFin } from '../../domain/contract';
import { type LookupDeps, lookUpCompany, lookUpPerson as lookUpPersonByFin } from '../../api/lookup/service';
import { t } from '../shared/render';
import { bakuDay, formatDate } from '../../domain/shared/dates';
import { identityDocumentExpired } from '../../domain/shared/identity-document';
import type { FormState } from './steps';
import type { Note } from './fields';
import { dateInputValue } from '../../domain/shared/dates';

// ---------------------------------------------------------------- look-ups (R4.1.2, R4.1.3)

/** "Axtar" by FIN: fills the person from the population registry, or says why the lawyer types it. */
export async function lookUpPerson(deps: LookupDeps, state: FormState, prefix: 'protectedPerson' | 'applicant', res: Response) {
  const v = state.v;
  const field = `${prefix}.fin`;
  const fin = normalizeFin(v[field] ?? '');
  v[field] = fin;
  const errors: FieldError[] = [];
  const notes: Record<string, Note> = {};
  if (fin === '') errors.push(fieldError(field, 'terms.fin_required'));
  else if (!isValidFin(fin)) errors.push(fieldError(field, 'terms.fin_invalid'));
  else {
    v[`${prefix}.citizenship`] = 'citizen';
    const found = await lookUpPersonByFin(deps, fin);
    if (found.kind === 'found') {
      const person = found.value;
      v[`${prefix}.documentNumber`] = '';
      v[`${prefix}.lastName`] = person.lastName;
      v[`${prefix}.firstName`] = person.firstName;
      v[`${prefix}.patronymic`] = person.patronymic;
      v[`${prefix}.birthDate`] = dateInputValue(person.birthDate);
      v[`${prefix}.address`] = person.address;
      const filled = t(res, 'wizard.lookup.finFound', { name: displayName(person) });
      // issue 13: an expired identity card is a warning for the lawyer, not a refusal.
      const expiresOn = person.identityDocument?.expiresOn;
      notes[field] = identityDocumentExpired(expiresOn, bakuDay(new Date()))
        ? { text: `${filled} ${t(res, 'wizard.lookup.documentExpired', { date: formatDate(expiresOn) })}`, kind: 'warning' }
        : { text: filled, kind: 'notice' };
    } else notes[field] = { text: t(res, found.kind === 'unavailable' ? 'wizard.lookup.finUnavailable' : 'wizard.lookup.finNotFound'), kind: 'warning' };
  }
  return { errors, notes };
}

/** "Axtar" by VÖEN: name, address and e-mail from the tax service; slow or failing → typed by hand. */
export async function lookUpEntity(deps: LookupDeps, state: FormState, res: Response) {
  const v = state.v;
  const field = 'protectedEntity.voen';
  const voen = (v[field] ?? '').replace(/\s+/g, '');
  v[field] = voen;
  v['protectedEntity.resident'] = 'yes';
  const errors: FieldError[] = [];
  const notes: Record<string, Note> = {};
  if (voen === '') errors.push(fieldError(field, 'terms.voen_required'));
  else if (!isValidVoen(voen)) errors.push(fieldError(field, 'terms.voen_invalid'));
  else {
    const found = await lookUpCompany(deps, voen);
    if (found.kind === 'found') {
      const company = found.value;
      v['protectedEntity.name'] = company.name;
      v['protectedEntity.address'] = company.address;
      if (company.email) v['protectedEntity.email'] = company.email;
      const text = t(res, 'wizard.lookup.voenFound', { director: company.directorName });
      notes[field] =
        company.status === 'liquidated' ? { text: `${text} ${t(res, 'wizard.lookup.voenLiquidated')}`, kind: 'warning' } : { text, kind: 'notice' };
    } else notes[field] = { text: t(res, found.kind === 'unavailable' ? 'wizard.lookup.voenUnavailable' : 'wizard.lookup.voenNotFound'), kind: 'warning' };
  }
  return { errors, notes };
}
