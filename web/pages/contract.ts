/**
 * The contract page of a lawyer and a bureau head (R4.2, R4.4, R4.7): what the contract says, its
 * history in plain sentences, its documents, and the steps this person may take now — approval
 * ("Təsdiqlə", "Rədd et", "Ödəniş edilib"), the Bar fee, amendments ("Müqaviləyə düzəliş et"),
 * and the archive ("Bitir", "Xitam ver", "İşi yenidən başlat").
 *
 * Every decision goes through the ContractGateway, every payment through `startPayment`; who may
 * do what comes from the rules module (`allowedActions`), so the page offers only what the
 * workflow will accept. The helpers exported at the end are shared with the applicant's cabinet.
 */
import 'express-session';
import { type Request, type Response, Router } from 'express';
import type { Knex } from 'knex';
import {
  type Actor,
  type ContractAction,
  type ContractDraft,
  type ContractTerms,
  type FieldError,
  type LegalEntity,
  type NaturalPerson,
  type PriceTerms,
  amountDueForOrderQepik,
  applyChanges,
  BAR_FEE_QEPIK,
  displayName,
  formatAzn,
  isValidPhone,
  normalizeEmail,
  normalizePhone,
  normalizeTerms,
  parseAznToQepik,
  priceChanged,
  remainderQepik,
  validateTerms,
} from '../../domain/contract';
import { type ContractRow, contractDetails, loadVisibleContract } from '../../api/contracts';
import { fromWorkflowError, HttpError, notFound } from '../../api/errors';
import { startPayment } from '../../api/payments';
import { PaymentState } from '../../integrations/payment-agent/protocol';
import type { ContractView, HistoryEntry } from '../../workflows/contract-messages';
import { addTranslations, type Locale } from '../i18n';
import { dossierForPage } from './dossier';
import { courtForPage } from './court-filings';
import { saveSession } from '../../api/auth';
import { renderPage, t } from '../render';
import { redirectWithFlash, requirePageActor, type WebDeps } from '../router';

declare module 'express-session' {
  interface SessionData {
    /** A refused step's reason, shown once as an alert on the next page (a success is the layout's `flash`). */
    pageAlert?: string;
  }
}

// ---------------------------------------------------------------- words

addTranslations({
  'contractPage.title': { az: 'Müqavilə № {number}', en: 'Contract No {number}' },
  'contractPage.back': { az: '← Müqavilə işləri', en: '← Contract cases' },
  'contractPage.general': { az: 'Ümumi məlumat', en: 'General' },
  'contractPage.number': { az: 'Müqavilənin nömrəsi', en: 'Contract number' },
  'contractPage.status': { az: 'Status', en: 'Status' },
  'contractPage.lawyer': { az: 'Vəkil', en: 'Lawyer' },
  'contractPage.caseType': { az: 'Müraciətin növü', en: 'Case type' },
  'contractPage.createdAt': { az: 'Yaradılıb', en: 'Created' },
  'caseType.civil': { az: 'Mülki', en: 'Civil' },
  'caseType.criminal': { az: 'Cinayət', en: 'Criminal' },
  'caseType.commercial': { az: 'Kommersiya', en: 'Commercial' },
  'caseType.administrative': { az: 'İnzibati', en: 'Administrative' },
  'caseType.administrative_offence': { az: 'İnzibati xəta', en: 'Administrative offence' },
  'contractPage.protectedParty': { az: 'Hüquqları qorunan şəxs', en: 'Protected party' },
  'contractPage.sameAsApplicant': { az: 'Müraciət edən şəxslə eynidir', en: 'Same as the applicant' },
  'contractPage.applicant': { az: 'Müraciət edən şəxs', en: 'Applicant' },
  'person.name': { az: 'Soyadı, adı, atasının adı', en: 'Surname, name, patronymic' },
  'person.citizenship': { az: 'Vətəndaşlıq', en: 'Citizenship' },
  'citizenship.citizen': { az: 'Azərbaycan Respublikasının vətəndaşı', en: 'Citizen of Azerbaijan' },
  'citizenship.foreign': { az: 'Xarici vətəndaş', en: 'Foreign citizen' },
  'citizenship.stateless': { az: 'Vətəndaşlığı olmayan şəxs', en: 'Stateless person' },
  'person.fin': { az: 'FİN', en: 'FIN' },
  'person.documentNumber': { az: 'Sənədin nömrəsi', en: 'Document number' },
  'person.birthDate': { az: 'Doğum tarixi', en: 'Date of birth' },
  'person.address': { az: 'Ünvan', en: 'Address' },
  'person.phone': { az: 'Telefon', en: 'Phone' },
  'person.email': { az: 'E-poçt', en: 'E-mail' },
  'entity.name': { az: 'Hüquqi şəxsin adı', en: 'Name of the legal entity' },
  'entity.voen': { az: 'VÖEN', en: 'TIN (VÖEN)' },
  'entity.resident': { az: 'Rezidentlik', en: 'Residence' },
  'entity.residentYes': { az: 'Rezident', en: 'Resident' },
  'entity.residentNo': { az: 'Qeyri-rezident', en: 'Non-resident' },
  'contractPage.assignmentSection': { az: 'Tapşırıq və qurum', en: 'Assignment and institution' },
  'contractPage.assignment': { az: 'Tapşırığın mahiyyəti', en: 'Assignment' },
  'contractPage.institution': { az: 'Qurum', en: 'Institution' },
  'contractPage.evidence': { az: 'Sübut toplanılması tələb edilən şəxslər', en: 'Evidence holders' },
  'contractPage.evidenceNone': { az: 'Mövcud deyil', en: 'None' },
  'contractPage.priceSection': { az: 'Qiymət və ödəniş', en: 'Price and payment' },
  'contractPage.total': { az: 'Müqavilənin qiyməti', en: 'Price' },
  'contractPage.plan': { az: 'Ödəniş qaydası', en: 'Payment plan' },
  'contractPage.planSingle': { az: 'Birdəfəlik ödəniş', en: 'Paid at once' },
  'contractPage.planTwo': { az: 'İki hissədə: ilk ödəniş {first} AZN, qalan {rest} AZN', en: 'Two instalments: first {first} AZN, the rest {rest} AZN' },
  'contractPage.paid': { az: 'Ödənilib', en: 'Paid' },
  'contractPage.balance': { az: 'Qalıq borc', en: 'Balance due' },
  'contractPage.alreadyPaid': { az: '“Ödəniş edilib”: müqavilənin qiyməti birbaşa vəkil qurumuna ödənilib', en: '“Payment made”: the price was paid straight to the bureau' },
  'contractPage.barFee': { az: 'Vəkillər Kollegiyasının haqqı', en: 'Bar fee' },
  'contractPage.barFeePaid': { az: '20.50 AZN ödənilib', en: '20.50 AZN paid' },
  'contractPage.barFeeDue': { az: '20.50 AZN gözlənilir', en: '20.50 AZN due' },
  'contractPage.termination': { az: 'Xitam verilməsinin səbəbi', en: 'Reason for termination' },
  'contractPage.documents': { az: 'Elektron müqavilə və order', en: 'Contract and order' },
  'contractPage.version': { az: 'Versiya {version}', en: 'Version {version}' },
  'contractPage.issuedAt': { az: 'verilib {at}', en: 'issued {at}' },
  'contractPage.contractPdf': { az: 'Müqavilə (PDF)', en: 'Contract (PDF)' },
  'contractPage.orderPdf': { az: 'Order № {number} (PDF)', en: 'Order No {number} (PDF)' },
  'contractPage.superseded': { az: 'əvəz edilib', en: 'superseded' },
  'contractPage.inForce': { az: 'qüvvədədir', en: 'current' },
  'contractPage.notInForce': { az: 'qüvvədə deyil (arxiv)', en: 'not in force (archive)' },
  'contractPage.noDocuments': { az: 'Müqavilə və elektron vəkil orderi ödənişdən sonra yaradılır.', en: 'The contract and the order are generated after payment.' },
  'contractPage.documentsPending': { az: 'Sənədlər hazırlanır; səhifə bir neçə saniyədən sonra özü yenilənəcək.', en: 'The documents are being generated; the page refreshes itself in a few seconds.' },
  'contractPage.history': { az: 'Tarixçə', en: 'History' },
  'contractPage.actions': { az: 'Hazırda edə biləcəyiniz addımlar', en: 'What you can do now' },
  'contractPage.noActions': { az: 'Hazırda sizin üçün addım yoxdur.', en: 'There is nothing for you to do now.' },
  'contractPage.continueDraft': { az: 'Layihəni davam etdir', en: 'Continue the draft' },
  'contractPage.draftNote': { az: 'Müqavilə hələ layihədir: vəkil onu doldurub “Təsdiq üçün göndər” düyməsini sıxmalıdır.', en: 'The contract is still a draft: the lawyer completes it and sends it for approval.' },
  'contractPage.rejectedBecause': { az: 'Vəkil qurumunun rəhbəri müqaviləni rədd edib. Səbəb: {reason}', en: 'The bureau head rejected the contract. Reason: {reason}' },
  'contractPage.refresh': { az: 'Yenilə', en: 'Refresh' },
  'contractPage.refusedTitle': { az: 'Bu addım atılmadı', en: 'This step was not taken' },
  'approve.legend': { az: 'Müqavilənin təsdiqi', en: 'Approval' },
  'approve.button': { az: 'Təsdiqlə', en: 'Approve' },
  'approve.alreadyPaid': { az: 'Ödəniş edilib', en: 'Payment made' },
  'approve.alreadyPaidHint': {
    az: 'Seçin, əgər (1) çərçivə sazişi əsasında hüquqları qorunan şəxs vəkil qurumunun elektron qaiməsini onun bank hesabına ödəyibsə, və ya (2) müraciət edən şəxs qiyməti ödəmə terminalı vasitəsilə ya da birbaşa vəkil qurumunun bank hesabına ödəyibsə. “Təsdiqlə” sizi ödəniş agentinin səhifəsinə aparacaq: Vəkillər Kollegiyasının 20.50 AZN haqqını ödədikdən sonra order yaradılır.',
    en: 'Tick when (1) under a framework agreement the protected party paid the bureau’s invoice to its bank account, or (2) the applicant paid by terminal or straight to the bureau’s bank account. “Approve” then takes you to the payment agent: after you pay the Bar fee of 20.50 AZN the order is generated.',
  },
  'reject.summary': { az: 'Rədd et', en: 'Reject' },
  'reject.reason': { az: 'Rədd etmənin səbəbi (vəkil görəcək)', en: 'Reason for rejecting (the lawyer sees it)' },
  'reject.button': { az: 'Rədd et', en: 'Reject' },
  'barFee.text': {
    az: 'Müqavilə “Ödəniş edilib” qeydi ilə təsdiqlənib. Order Vəkillər Kollegiyasının 20.50 AZN haqqı ödənildikdən sonra yaradılır.',
    en: 'The contract was approved as already paid. The order is generated once the Bar fee of 20.50 AZN is paid.',
  },
  'barFee.button': { az: 'Kollegiya haqqını ödə (20.50 AZN)', en: 'Pay the Bar fee (20.50 AZN)' },
  'payment.failed': { az: 'Ödəniş alınmadı: {reason}. Yenidən cəhd edə bilərsiniz.', en: 'The payment did not go through: {reason}. You can try again.' },
  'payment.failedOther': { az: 'Ödəniş alınmadı: {reason}.', en: 'A payment did not go through: {reason}.' },
  'payment.confirming': { az: 'Ödəniş təsdiqlənir… Səhifə bir neçə saniyədən sonra özü yenilənəcək.', en: 'The payment is being confirmed… The page refreshes itself in a few seconds.' },
  'payment.received': { az: 'Ödəniş qəbul edildi. Təşəkkür edirik!', en: 'The payment was received. Thank you!' },
  'payment.notCompleted': { az: 'Ödəniş hələ edilməyib.', en: 'The payment has not been made yet.' },
  'payment.terminalCode': { az: 'Terminal ödənişi üçün kod', en: 'Code for paying at a terminal' },
  'payment.terminalHelp': {
    az: 'Ödəmə terminalında “Elektron pul kisəsi” → “PulPal” bölməsini seçin, “Hesab nömrəsi” xanasına bu kodu yazıb ödəyin.',
    en: 'At a payment terminal choose “E-wallet” → “PulPal”, enter this code as the account number and pay.',
  },
  'paymentReason.insufficient_funds': { az: 'kartda kifayət qədər vəsait yoxdur', en: 'insufficient funds on the card' },
  'paymentReason.timeout': { az: 'bank vaxtında cavab vermədi', en: 'the bank did not answer in time' },
  'paymentReason.replaced': { az: 'ödəniş yeni məbləğlə əvəz edildi', en: 'the payment was replaced by one for a new amount' },
  'paymentReason.other': { az: 'ödəniş agenti ödənişi qəbul etmədi', en: 'the payment agent did not accept the payment' },
  'handoff.title': { az: 'Ödəniş agentinin səhifəsinə keçid', en: 'Going to the payment agent' },
  'handoff.text': { az: '{amount} AZN ödəmək üçün ödəniş agentinin (PulPal) səhifəsinə yönləndirilirsiniz…', en: 'You are being taken to the payment agent (PulPal) to pay {amount} AZN…' },
  'handoff.link': { az: 'Ödəniş səhifəsinə keç', en: 'Go to the payment page' },
  'handoff.back': { az: 'Müqaviləyə qayıt', en: 'Back to the contract' },
  'amend.button': { az: 'Müqaviləyə düzəliş et', en: 'Amend the contract' },
  'finish.summary': { az: 'Bitir', en: 'Finish' },
  'finish.confirm': { az: 'Xidmətlər başa çatıbsa, müqavilə arxivə göndəriləcək. Bitmiş iş yenidən başladıla bilməz.', en: 'If the services are complete, the contract goes to the archive. A finished case cannot be restarted.' },
  'finish.button': { az: 'Bitir', en: 'Finish' },
  'terminate.summary': { az: 'Xitam ver', en: 'Terminate' },
  'terminate.reason': { az: 'Xitam verməyin səbəbi', en: 'Reason for terminating' },
  'terminate.button': { az: 'Xitam ver', en: 'Terminate' },
  'restart.text': { az: 'Xitam verilmiş iş “İşi yenidən başlat” ilə cari işlərə qaytarılır.', en: 'A terminated case returns to the current cases with “Restart the case”.' },
  'restart.button': { az: 'İşi yenidən başlat', en: 'Restart the case' },
  'amendment.title': { az: 'Təklif olunan düzəliş', en: 'Proposed amendment' },
  'amendment.awaitingConsent': { az: 'Qiymət dəyişikliyi müraciət edən şəxsin razılığını gözləyir.', en: 'The price change awaits the applicant’s consent.' },
  'amendment.awaitingHead': { az: 'Düzəliş vəkil qurumu rəhbərinin təsdiqini gözləyir.', en: 'The amendment awaits the bureau head’s approval.' },
  'amendment.proposed': { az: '{who} təklif edib: {at}', en: 'Proposed by {who}: {at}' },
  'amendment.note': { az: 'Qeyd', en: 'Note' },
  'amendment.what': { az: 'Nə dəyişir', en: 'What changes' },
  'amendment.before': { az: 'İndiki', en: 'Now' },
  'amendment.after': { az: 'Yeni', en: 'New' },
  'amendment.approve': { az: 'Təsdiqlə', en: 'Approve' },
  'amendment.rejectSummary': { az: 'Rədd et', en: 'Reject' },
  'amendment.rejectReason': { az: 'Düzəlişi rədd etmənin səbəbi', en: 'Reason for rejecting the amendment' },
  'amendment.rejectButton': { az: 'Düzəlişi rədd et', en: 'Reject the amendment' },
  'amendment.empty': { az: '(boş)', en: '(empty)' },
  'done.approved': { az: 'Müqavilə təsdiqləndi: müraciət edən şəxsin kabinetində “Ödə” düyməsi yarandı.', en: 'Approved: the applicant can now pay (“Ödə”).' },
  'done.approvedAsPaid': { az: 'Müqavilə “Ödəniş edilib” qeydi ilə təsdiqləndi. Kollegiya haqqını ödəyin.', en: 'Approved as already paid. Pay the Bar fee.' },
  'done.rejected': { az: 'Müqavilə rədd edildi və vəkilə qaytarıldı.', en: 'Rejected and returned to the lawyer.' },
  'done.amendmentApproved': { az: 'Düzəliş təsdiqləndi; müqavilə və order yeni məlumatlarla yenidən yaradılır.', en: 'Amendment approved; the contract and the order are generated again.' },
  'done.amendmentRejected': { az: 'Düzəliş rədd edildi.', en: 'Amendment rejected.' },
  'done.finished': { az: 'İş bitirildi və arxivə göndərildi.', en: 'The case is finished and archived.' },
  'done.terminated': { az: 'Müqaviləyə xitam verildi; iş arxivdədir.', en: 'The contract was terminated; the case is in the archive.' },
  'done.restarted': { az: 'İş yenidən başladıldı və cari işlərə qaytarıldı.', en: 'The case was restarted and is current again.' },
  'done.amendApplied': { az: 'Düzəliş qüvvəyə mindi; müqavilə və order yeni məlumatlarla yenidən yaradılır.', en: 'The amendment took effect; the contract and the order are generated again.' },
  'done.amendToHead': { az: 'Düzəliş yadda saxlanıldı və vəkil qurumu rəhbərinin təsdiqinə göndərildi.', en: 'Saved and sent to the bureau head for approval.' },
  'done.amendToApplicant': { az: 'Düzəliş yadda saxlanıldı: qiymət dəyişikliyi müraciət edən şəxsin razılığına göndərildi.', en: 'Saved: the price change was sent to the applicant for consent.' },
  'amend.title': { az: 'Müqaviləyə düzəliş et', en: 'Amend the contract' },
  'amend.intro': {
    az: 'Dəyişmək istədiyiniz bölməni açın, dəyişiklikləri edin və “Yadda saxla” düyməsini sıxın. Qiymət dəyişikliyini müraciət edən şəxs təsdiqləməlidir. Dəyişiklik vəkil qurumu rəhbəri təsdiq etdikdən sonra qüvvəyə minir və müqavilə ilə order yenidən yaradılır.',
    en: 'Open the part you want to change, make the changes and press “Save”. A price change must be confirmed by the applicant. A change takes effect once the bureau head approves it; then the contract and the order are generated again.',
  },
  'amend.introHead': {
    az: 'Dəyişmək istədiyiniz bölməni açın, dəyişiklikləri edin və “Yadda saxla” düyməsini sıxın. Vəkil qurumu rəhbəri kimi etdiyiniz dəyişiklik dərhal qüvvəyə minir; qiymət dəyişikliyi isə müraciət edən şəxsin razılığından sonra.',
    en: 'Open the part you want to change, make the changes and press “Save”. As the bureau head your change takes effect at once; a price change after the applicant consents.',
  },
  'amend.evidence': { az: 'Sübutlar toplanacaq şəxslərdə dəyişiklik etmək', en: 'Change the evidence holders' },
  'amend.evidenceNone': { az: 'Mövcud deyil', en: 'None' },
  'amend.holder': { az: 'Sübut toplanacaq şəxs {n}', en: 'Evidence holder {n}' },
  'amend.holdersHint': { az: 'Şəxsi silmək üçün sətri boşaldın. “+” yeni sətir əlavə edir.', en: 'Empty a line to remove the holder. “+” adds a line.' },
  'amend.addHolder': { az: '+ Şəxs əlavə et', en: '+ Add a holder' },
  'amend.assignmentSection': { az: 'Tapşırığın mahiyyətində və qurumda dəyişiklik etmək', en: 'Change the assignment and the institution' },
  'amend.assignment': { az: 'Tapşırığın mahiyyəti', en: 'Assignment' },
  'amend.institution': { az: 'Qurum', en: 'Institution' },
  'amend.institutionOther': { az: 'Digər', en: 'Other' },
  'amend.institutionOtherName': { az: 'Qurumun adı (“Digər” seçildikdə)', en: 'Name of the institution (when “Other”)' },
  'amend.priceSection': { az: 'Müqavilənin qiymətində dəyişiklik etmək', en: 'Change the price' },
  'amend.priceHint': { az: 'Qiymət dəyişikliyi müraciət edən şəxsin razılığı ilə qüvvəyə minir.', en: 'A price change needs the applicant’s consent.' },
  'amend.total': { az: 'Müqavilənin qiyməti (AZN)', en: 'Price (AZN)' },
  'amend.plan': { az: 'Ödəniş qaydası', en: 'Payment plan' },
  'amend.planSingle': { az: 'Birdəfəlik', en: 'At once' },
  'amend.planTwo': { az: 'İki hissədə', en: 'Two instalments' },
  'amend.first': { az: 'İlk ödəniş (AZN)', en: 'First instalment (AZN)' },
  'amend.rest': { az: 'Qalan məbləğ (AZN)', en: 'The rest (AZN)' },
  'amend.contactsSection': { az: 'Telefon nömrəsində və e-poçtda dəyişiklik etmək', en: 'Change phone numbers and e-mails' },
  'amend.applicantPhone': { az: 'Müraciət edən şəxsin telefon nömrəsi', en: 'Applicant’s phone' },
  'amend.applicantEmail': { az: 'Müraciət edən şəxsin e-poçtu', en: 'Applicant’s e-mail' },
  'amend.protectedPhone': { az: 'Hüquqları qorunan şəxsin telefon nömrəsi', en: 'Protected person’s phone' },
  'amend.protectedEmail': { az: 'Hüquqları qorunan şəxsin e-poçtu', en: 'Protected person’s e-mail' },
  'amend.note': { az: 'Düzəlişin səbəbi (qeyd)', en: 'Reason for the amendment (note)' },
  'amend.save': { az: 'Yadda saxla', en: 'Save' },
  'amend.cancel': { az: 'Ləğv et', en: 'Cancel' },
  'amend.nothingChanged': { az: 'Heç nə dəyişməyib: bir bölməni açıb dəyişiklik edin.', en: 'Nothing has changed: open a part and change it.' },
  'formError.required': { az: 'Bu sahəni doldurun.', en: 'Fill in this field.' },
  'formError.invalid': { az: 'Bu sahədəki dəyər düzgün deyil.', en: 'This value is not valid.' },
  'formError.required.reason': { az: 'Səbəbi yazın.', en: 'Give a reason.' },
  'formError.required.holders': { az: 'Sübut toplanacaq şəxsi yazın və ya “Mövcud deyil” seçin.', en: 'Add an evidence holder or choose “None”.' },
  'formError.conflict.holders': { az: '“Mövcud deyil” sübut toplanacaq şəxslərlə birlikdə seçilə bilməz.', en: '“None” cannot be chosen together with holders.' },
  'formError.too_long.holders': { az: 'Hər sətirdə ən çoxu 300 simvol.', en: 'At most 300 characters a line.' },
  'formError.required.assignment': { az: 'Tapşırığın mahiyyətini yazın.', en: 'Describe the assignment.' },
  'formError.too_long.assignment': { az: 'Ən çoxu 5000 simvol.', en: 'At most 5000 characters.' },
  'formError.required.institutionOther': { az: 'Qurumu seçin və ya “Digər” seçib adını yazın.', en: 'Choose the institution or type its name under “Other”.' },
  'formError.invalid.institutionId': { az: 'Siyahıdan qurum seçin və ya “Digər”.', en: 'Choose an institution from the list or “Other”.' },
  'formError.invalid.totalAzn': { az: 'Qiyməti məbləğ kimi yazın, məsələn 1000 və ya 1000.50.', en: 'Type the price as an amount, e.g. 1000 or 1000.50.' },
  'formError.required.totalAzn': { az: 'Qiyməti yazın.', en: 'Enter the price.' },
  'formError.too_large.totalAzn': { az: 'Qiymət səhv yazılıb: 1 000 000 AZN-dən çoxdur.', en: 'The price looks mistyped: above 1,000,000 AZN.' },
  'formError.invalid.firstAzn': { az: 'İlk ödənişi məbləğ kimi yazın, məsələn 300.', en: 'Type the first instalment as an amount, e.g. 300.' },
  'formError.required.firstAzn': { az: 'İlk ödənişin məbləğini yazın.', en: 'Enter the first instalment.' },
  'formError.not_less_than_price.firstAzn': { az: 'İlk ödəniş qiymətdən az olmalıdır.', en: 'The first instalment must be less than the price.' },
  'formError.invalid.applicantPhone': { az: 'Telefon nömrəsini ölkə kodu ilə yazın, məsələn +994 50 123 45 67.', en: 'Enter the phone with the country code, e.g. +994 50 123 45 67.' },
  'formError.invalid.protectedPhone': { az: 'Telefon nömrəsini ölkə kodu ilə yazın, məsələn +994 50 123 45 67.', en: 'Enter the phone with the country code, e.g. +994 50 123 45 67.' },
  'formError.invalid.applicantEmail': { az: 'Düzgün e-poçt ünvanı yazın.', en: 'Enter a valid e-mail address.' },
  'formError.invalid.protectedEmail': { az: 'Düzgün e-poçt ünvanı yazın.', en: 'Enter a valid e-mail address.' },
  'formError.contact_required.applicantPhone': { az: 'Müraciət edən şəxsin telefon nömrəsini və ya e-poçtunu yazın (ən azı birini).', en: 'Enter the applicant’s phone or e-mail (at least one).' },
  'formError.contact_taken.applicantPhone': { az: 'Bu telefon nömrəsi artıq başqa şəxs üçün qeydiyyatdadır; onu yalnız həmin şəxsin müqaviləsinə düzəlişlə dəyişmək olar.', en: 'This phone number is already registered for another person; it can only be changed through an amendment of that person’s contract.' },
  'formError.contact_taken.protectedPhone': { az: 'Bu telefon nömrəsi artıq başqa şəxs üçün qeydiyyatdadır; onu yalnız həmin şəxsin müqaviləsinə düzəlişlə dəyişmək olar.', en: 'This phone number is already registered for another person; it can only be changed through an amendment of that person’s contract.' },
  'formError.contact_taken.applicantEmail': { az: 'Bu e-poçt artıq başqa şəxs üçün qeydiyyatdadır; onu yalnız həmin şəxsin müqaviləsinə düzəlişlə dəyişmək olar.', en: 'This e-mail is already registered for another person; it can only be changed through an amendment of that person’s contract.' },
  'formError.contact_taken.protectedEmail': { az: 'Bu e-poçt artıq başqa şəxs üçün qeydiyyatdadır; onu yalnız həmin şəxsin müqaviləsinə düzəlişlə dəyişmək olar.', en: 'This e-mail is already registered for another person; it can only be changed through an amendment of that person’s contract.' },
  'formError.contact_taken': {
    az: 'Bu telefon nömrəsi və ya e-poçt artıq başqa şəxs üçün qeydiyyatdadır; onu yalnız həmin şəxsin müqaviləsinə düzəlişlə dəyişmək olar.',
    en: 'This phone or e-mail is already registered for another person; it can only be changed through an amendment of that person’s contract.',
  },
  'history.someone': { az: 'Sistem', en: 'The system' },
  'history.applicant': { az: 'Müraciət edən şəxs', en: 'The applicant' },
  'history.created': { az: '{who} müqavilə layihəsini yaratdı.', en: '{who} created the draft.' },
  'history.draft_saved': { az: '{who} layihəni yadda saxladı.', en: '{who} saved the draft.' },
  'history.draft_saved_n': { az: '{who} layihəni yadda saxladı ({n} dəfə).', en: '{who} saved the draft ({n} times).' },
  'history.draft_discarded': { az: '{who} layihəni sildi.', en: '{who} deleted the draft.' },
  'history.submitted': { az: '{who} müqaviləni təsdiq üçün göndərdi.', en: '{who} sent the contract for approval.' },
  'history.rejected': { az: '{who} müqaviləni rədd etdi. Səbəb: {detail}', en: '{who} rejected the contract. Reason: {detail}' },
  'history.approved': { az: '{who} müqaviləni təsdiqlədi; müraciət edən şəxs ödəniş edə bilər.', en: '{who} approved the contract; the applicant can pay.' },
  'history.approved_as_already_paid': { az: '{who} müqaviləni “Ödəniş edilib” qeydi ilə təsdiqlədi.', en: '{who} approved the contract as already paid.' },
  'history.paid': { az: '{amount} AZN ödəniş daxil oldu.', en: 'A payment of {amount} AZN came in.' },
  'history.balance_paid': { az: 'Qalıq borc üzrə {amount} AZN ödəniş daxil oldu.', en: '{amount} AZN of the balance was paid.' },
  'history.bar_fee_paid': { az: 'Vəkillər Kollegiyasının haqqı ({amount} AZN) ödənildi.', en: 'The Bar fee ({amount} AZN) was paid.' },
  'history.payment_failed': { az: 'Ödəniş alınmadı. Səbəb: {detail}', en: 'A payment failed. Reason: {detail}' },
  'history.payment_flagged': { az: 'Ödəniş qəbul edildi, lakin yoxlama üçün qeyd olundu: {detail}', en: 'A payment was received but flagged for review: {detail}' },
  'history.order_issued': { az: 'Elektron vəkil orderi № {detail} verildi.', en: 'Order No {detail} was issued.' },
  'history.amendment_proposed': { az: '{who} müqaviləyə düzəliş təklif etdi.', en: '{who} proposed an amendment.' },
  'history.amendment_proposed_note': { az: '{who} müqaviləyə düzəliş təklif etdi. Qeyd: {detail}', en: '{who} proposed an amendment. Note: {detail}' },
  'history.amendment_applied': { az: '{who} təsdiqlədi: düzəliş qüvvəyə mindi, müqavilə və order yenidən yaradılır.', en: '{who} approved: the amendment took effect; the contract and the order are generated again.' },
  'history.amendment_rejected': { az: '{who} düzəlişi rədd etdi. Səbəb: {detail}', en: '{who} rejected the amendment. Reason: {detail}' },
  'history.price_change_consented': { az: '{who} qiymət dəyişikliyinə razılıq verdi.', en: '{who} consented to the price change.' },
  'history.price_change_declined': { az: '{who} qiymət dəyişikliyinə razı olmadı; düzəliş ləğv edildi.', en: '{who} declined the price change; the amendment was dropped.' },
  'history.terminated': { az: '{who} müqaviləyə xitam verdi. Səbəb: {detail}', en: '{who} terminated the contract. Reason: {detail}' },
  'history.restarted': { az: '{who} işi yenidən başlatdı.', en: '{who} restarted the case.' },
  'history.finished': { az: '{who} işi bitirdi; müqavilə arxivə göndərildi.', en: '{who} finished the case; the contract went to the archive.' },
  'history.payment_reminder_sent': { az: 'Müraciət edən şəxsə ödəniş barədə xatırlatma göndərildi.', en: 'A payment reminder was sent to the applicant.' },
  'history.unknown': { az: '{event}', en: '{event}' },
  'refusal.notYours': { az: 'Bu müqavilə sizə aid deyil.', en: 'This contract is not yours.' },
  'refusal.notAllowedNow': { az: 'Bu addım indi mümkün deyil (müqavilənin statusu: {status}).', en: 'This step is not possible now (the contract is: {status}).' },
  'refusal.onlyHeadApproves': { az: 'Müqaviləni yalnız vəkil qurumunun rəhbəri təsdiqləyə və ya rədd edə bilər.', en: 'Only the head of the bureau approves or rejects a contract.' },
  'refusal.onlyHeadAmendment': { az: 'Düzəliş barədə yalnız vəkil qurumunun rəhbəri qərar verir.', en: 'Only the head of the bureau decides on an amendment.' },
  'refusal.noAmendment': { az: 'Təsdiq gözləyən düzəliş yoxdur.', en: 'No amendment is awaiting approval.' },
  'refusal.amendmentPending': { az: 'Artıq gözləyən bir düzəliş var.', en: 'An amendment is already pending.' },
  'refusal.noPriceChange': { az: 'Razılığınızı gözləyən qiymət dəyişikliyi yoxdur.', en: 'No price change is awaiting your consent.' },
  'refusal.paidInFull': { az: 'Müqavilə tam ödənilib.', en: 'The contract is paid in full.' },
  'refusal.nothingDue': { az: 'Ödəniləsi məbləğ yoxdur.', en: 'Nothing is due.' },
  'refusal.noBarFee': { az: 'Bu müqavilə üzrə Kollegiya haqqı tələb olunmur.', en: 'No Bar fee is due on this contract.' },
  'refusal.busy': { az: 'Başqa bir addım icra olunur; bir azdan yenidən cəhd edin.', en: 'Another step is in progress; try again in a moment.' },
  'refusal.agentDown': { az: 'Ödəniş agenti hazırda cavab vermir; bir azdan yenidən cəhd edin.', en: 'The payment agent does not answer now; try again shortly.' },
  'refusal.closed': { az: 'Müqavilə bağlanıb.', en: 'The contract is closed.' },
  'refusal.unavailable': { az: 'Yoxlama başa çatmadı; yenidən cəhd edin.', en: 'The check could not be completed; try again.' },
});

// ---------------------------------------------------------------- helpers shared with the applicant's cabinet

type Tr = (key: string, vars?: Record<string, unknown>) => string;
export const translator = (res: Response): Tr => (key, vars) => t(res, key, vars);

/** A translation that exists, or undefined (translate() answers the key itself when it has none). */
function known(tr: Tr, key: string, vars?: Record<string, unknown>): string | undefined {
  const text = tr(key, vars);
  return text === key ? undefined : text;
}

/** The HTTP meaning of an error thrown by the gateway or the API helpers, or undefined for a real failure. */
export function asHttpError(err: unknown): HttpError | undefined {
  return err instanceof HttpError ? err : fromWorkflowError(err);
}

/**
 * A refused step as the person should read it. The contract was loaded (and is visible) before the
 * step, so "no such workflow" means its workflow has ended (a finished contract): not allowed now.
 */
export function stepRefusal(err: unknown): HttpError {
  const http = asHttpError(err);
  if (!http) throw err;
  return http.status === 404 ? new HttpError(409, 'not_allowed_now', 'The contract is closed.') : http;
}

/** Sends the person back with a refused step's reason, shown once as an alert. */
export async function redirectWithAlert(req: Request, res: Response, to: string, message: string): Promise<void> {
  req.session.pageAlert = message;
  await saveSession(req);
  res.redirect(303, to);
}

/** Takes the alert left by the previous request, once. */
export function takeAlert(req: Request): string | undefined {
  const alert = req.session.pageAlert;
  if (alert) req.session.pageAlert = undefined;
  return alert;
}

/** Sends the person on with a step's success, shown once as the layout's flash. */
export function redirectWithNotice(req: Request, res: Response, to: string, message: string): Promise<void> {
  return redirectWithFlash(req, res, to, message); // a call, not an alias: router.ts and this module import each other
}

/** The success left by the previous step (or another page, e.g. the wizard's "sent for approval"), once. */
export function takeNotice(req: Request, res: Response): string | undefined {
  const notice = req.session.flash;
  if (notice) req.session.flash = undefined;
  return notice ?? (res.locals.flash as string | undefined);
}

/** The rules module speaks English; the person reads the reason in the page's language. */
export function localizeReason(res: Response, message: string): string {
  const tr = translator(res);
  const statusIn = /\((?:it is )?(\w+)\)\.?$/.exec(message)?.[1] ?? /^A (\w+) contract cannot be terminated\.$/.exec(message)?.[1];
  const status = statusIn ? known(tr, `status.${statusIn}`) ?? statusIn : '';
  const table: [RegExp, string][] = [
    [/^This contract is not yours\.$/, 'refusal.notYours'],
    [/^Only the head of the bureau approves or rejects/, 'refusal.onlyHeadApproves'],
    [/^Only the head of the bureau decides on an amendment/, 'refusal.onlyHeadAmendment'],
    [/^No amendment is awaiting approval/, 'refusal.noAmendment'],
    [/^An amendment is already pending/, 'refusal.amendmentPending'],
    [/^No price change is awaiting your consent/, 'refusal.noPriceChange'],
    [/^The contract is paid in full/, 'refusal.paidInFull'],
    [/^Nothing is due/, 'refusal.nothingDue'],
    [/^No Bar fee is due/, 'refusal.noBarFee'],
    [/^Another step .* is in progress/, 'refusal.busy'],
    [/^The payment agent does not answer/, 'refusal.agentDown'],
    [/^The contract is closed/, 'refusal.closed'],
    [/^The contact check could not be completed/, 'refusal.unavailable'],
    [/^The amendment changes nothing/, 'amend.nothingChanged'],
    [/(is not|is no longer|cannot be|Only an active|Only a terminated)/, 'refusal.notAllowedNow'],
  ];
  if (res.locals.locale === 'en') return message;
  for (const [pattern, key] of table) if (pattern.test(message)) return tr(key, { status: status || '—' });
  return message;
}

/** The payment agent's reason code in plain words (unknown codes are shown as they came). */
export function paymentReason(tr: Tr, reason: string | undefined): string {
  if (!reason || /^state \d+$/.test(reason)) return tr('paymentReason.other');
  return known(tr, `paymentReason.${reason}`) ?? reason;
}

/** A field error in the page's language: by field and code, by code, or as the rules said it. */
function fieldMessage(tr: Tr, field: string, code: string, fallback: string): string {
  return known(tr, `formError.${code}.${field}`) ?? known(tr, `formError.${code}`) ?? fallback;
}

export interface Fact {
  label: string;
  value?: string;
  list?: string[];
}
export interface FactSection {
  title: string;
  facts: Fact[];
}

function personFacts(tr: Tr, person: Partial<NaturalPerson> | undefined): Fact[] {
  if (!person) return [];
  const facts: Fact[] = [{ label: tr('person.name'), value: displayName(person) }];
  if (person.citizenship) facts.push({ label: tr('person.citizenship'), value: tr(`citizenship.${person.citizenship}`) });
  if (person.fin) facts.push({ label: tr('person.fin'), value: person.fin });
  if (person.documentNumber) facts.push({ label: tr('person.documentNumber'), value: person.documentNumber });
  if (person.birthDate) facts.push({ label: tr('person.birthDate'), value: person.birthDate });
  if (person.address) facts.push({ label: tr('person.address'), value: person.address });
  if (person.phone) facts.push({ label: tr('person.phone'), value: person.phone });
  if (person.email) facts.push({ label: tr('person.email'), value: person.email });
  return facts;
}

function entityFacts(tr: Tr, entity: Partial<LegalEntity> | undefined): Fact[] {
  if (!entity) return [];
  const facts: Fact[] = [{ label: tr('entity.name'), value: entity.name ?? '' }];
  if (typeof entity.resident === 'boolean') facts.push({ label: tr('entity.resident'), value: tr(entity.resident ? 'entity.residentYes' : 'entity.residentNo') });
  if (entity.voen) facts.push({ label: tr('entity.voen'), value: entity.voen });
  if (entity.address) facts.push({ label: tr('person.address'), value: entity.address });
  if (entity.email) facts.push({ label: tr('person.email'), value: entity.email });
  return facts;
}

function evidenceText(tr: Tr, evidence: ContractTerms['evidence'] | undefined): string[] {
  if (!evidence || evidence.none || evidence.holders.length === 0) return [tr('contractPage.evidenceNone')];
  return evidence.holders;
}

export function planText(tr: Tr, price: PriceTerms | undefined): string {
  if (!price) return '';
  if (price.plan !== 'two_instalments') return tr('contractPage.planSingle');
  return tr('contractPage.planTwo', { first: formatAzn(price.firstInstalmentQepik ?? 0), rest: formatAzn(remainderQepik(price)) });
}

/** The contract's content as labelled facts: parties, assignment, price (R4.1). */
export function termsSections(tr: Tr, view: ContractView, opts: { forApplicant: boolean; lawyerName: string; bureauName?: string }): FactSection[] {
  const terms = view.terms;
  const sections: FactSection[] = [];
  const general: Fact[] = [
    { label: tr('contractPage.number'), value: view.contractNumber },
    { label: tr('contractPage.status'), value: tr(`status.${view.status}`) },
    { label: tr('contractPage.lawyer'), value: opts.bureauName ? `${opts.lawyerName} (${opts.bureauName})` : opts.lawyerName },
  ];
  if (!opts.forApplicant && terms?.caseType) general.push({ label: tr('contractPage.caseType'), value: tr(`caseType.${terms.caseType}`) });
  const created = view.history.find((h) => h.event === 'created');
  if (created && !opts.forApplicant) general.push({ label: tr('contractPage.createdAt'), value: formatDateTime(created.at) });
  if (view.termination) general.push({ label: tr('contractPage.termination'), value: view.termination.reason });
  sections.push({ title: tr('contractPage.general'), facts: general });
  if (!terms) return sections;

  if (terms.protectedPartyKind === 'legal') sections.push({ title: tr('contractPage.protectedParty'), facts: entityFacts(tr, terms.protectedEntity) });
  else if (terms.applicantIsProtectedParty) sections.push({ title: tr('contractPage.protectedParty'), facts: [{ label: tr('person.name'), value: `${displayName(terms.applicant)} — ${tr('contractPage.sameAsApplicant')}` }] });
  else sections.push({ title: tr('contractPage.protectedParty'), facts: personFacts(tr, terms.protectedPerson) });
  sections.push({ title: tr('contractPage.applicant'), facts: personFacts(tr, terms.applicant) });
  sections.push({
    title: tr('contractPage.assignmentSection'),
    facts: [
      { label: tr('contractPage.assignment'), value: terms.assignment },
      { label: tr('contractPage.institution'), value: terms.institution?.name ?? '' },
      { label: tr('contractPage.evidence'), list: evidenceText(tr, terms.evidence) },
    ],
  });
  const price: Fact[] = [
    { label: tr('contractPage.total'), value: `${formatAzn(terms.price.totalQepik)} AZN` },
    { label: tr('contractPage.plan'), value: planText(tr, terms.price) },
  ];
  if (view.approvedAsAlreadyPaid) {
    price.push({ label: tr('contractPage.paid'), value: tr('contractPage.alreadyPaid') });
    if (!opts.forApplicant) {
      const feePaid = view.payments.some((p) => p.kind === 'bar_fee' && !p.flag);
      price.push({ label: tr('contractPage.barFee'), value: tr(feePaid ? 'contractPage.barFeePaid' : 'contractPage.barFeeDue') });
    }
  } else {
    price.push({ label: tr('contractPage.paid'), value: `${formatAzn(view.paidQepik)} AZN` });
    price.push({ label: tr('contractPage.balance'), value: `${formatAzn(view.balanceDueQepik)} AZN` });
  }
  sections.push({ title: tr('contractPage.priceSection'), facts: price });
  return sections;
}

const formatDateTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString('az-AZ', { timeZone: 'Asia/Baku', dateStyle: 'short', timeStyle: 'short' });
};

/** Names of the lawyers who acted on a contract, in one query. */
export async function lawyerNames(db: Knex, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db('lawyers').whereIn('id', wanted).select('id', 'first_name', 'last_name');
  return new Map(rows.map((r: { id: string; first_name: string; last_name: string }) => [r.id, `${r.first_name} ${r.last_name}`]));
}

/** Whom an entry's `by` names: a lawyer by name, the applicant, or nobody (the payment agent, timers). */
function whoOf(tr: Tr, by: string | undefined, names: Map<string, string>, applicantAccountId: string | undefined): string {
  if (!by) return tr('history.someone');
  if (names.has(by)) return names.get(by)!;
  if (applicantAccountId && by === applicantAccountId) return tr('history.applicant');
  return tr('history.someone');
}

/** Events the applicant reads in their cabinet; the rest is the bureau's own business. */
const APPLICANT_EVENTS = new Set([
  'submitted',
  'approved',
  'paid',
  'balance_paid',
  'payment_failed',
  'order_issued',
  'amendment_applied',
  'price_change_consented',
  'price_change_declined',
  'terminated',
  'restarted',
  'finished',
  'payment_reminder_sent',
]);

/** The history as plain sentences, oldest first; runs of draft saves by one person read as one line. */
export function historySentences(tr: Tr, history: HistoryEntry[], names: Map<string, string>, opts: { applicantAccountId?: string; forApplicant: boolean }) {
  const entries = opts.forApplicant ? history.filter((h) => APPLICANT_EVENTS.has(h.event)) : history;
  const lines: { at: string; text: string; event: string }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const h = entries[i];
    const who = whoOf(tr, h.by, names, opts.applicantAccountId);
    if (h.event === 'draft_saved') {
      let n = 1;
      while (i + n < entries.length && entries[i + n].event === 'draft_saved' && entries[i + n].by === h.by) n++;
      const last = entries[i + n - 1];
      lines.push({ at: last.at, event: h.event, text: n > 1 ? tr('history.draft_saved_n', { who, n }) : tr('history.draft_saved', { who }) });
      i += n - 1;
      continue;
    }
    const amount = h.detail && /^\d+$/.test(h.detail) ? formatAzn(Number(h.detail)) : '';
    const key = h.event === 'amendment_proposed' && h.detail ? 'history.amendment_proposed_note' : `history.${h.event}`;
    const detail = h.event === 'payment_failed' ? paymentReason(tr, h.detail) : (h.detail ?? '');
    const text = known(tr, key, { who, detail, amount }) ?? tr('history.unknown', { event: h.event });
    lines.push({ at: h.at, event: h.event, text });
  }
  return lines.map((l) => ({ ...l, when: formatDateTime(l.at) }));
}

/** What an amendment changes, row by row: the label, the value now and the value after. */
export function amendmentRows(tr: Tr, terms: ContractTerms, changes: ContractDraft, opts: { forApplicant: boolean }) {
  let after: ContractTerms;
  try {
    after = normalizeTerms(applyChanges(terms, changes));
  } catch {
    after = applyChanges(terms, changes);
  }
  const empty = tr('amendment.empty');
  const show = (v: unknown) => (v === undefined || v === null || v === '' ? empty : String(v));
  const rows: { label: string; before: string; after: string }[] = [];
  const add = (label: string, get: (x: ContractTerms) => unknown) => {
    const b = show(get(terms));
    const a = show(get(after));
    if (a !== b) rows.push({ label, before: b, after: a });
  };
  if (!opts.forApplicant) add(tr('contractPage.caseType'), (x) => (x.caseType ? tr(`caseType.${x.caseType}`) : ''));
  add(tr('contractPage.evidence'), (x) => evidenceText(tr, x.evidence).join('; '));
  add(tr('contractPage.assignment'), (x) => x.assignment);
  add(tr('contractPage.institution'), (x) => x.institution?.name);
  add(tr('contractPage.total'), (x) => (x.price ? `${formatAzn(x.price.totalQepik)} AZN` : ''));
  add(tr('contractPage.plan'), (x) => planText(tr, x.price));
  const people: [string, (x: ContractTerms) => Partial<NaturalPerson> | undefined][] = [
    [tr('contractPage.applicant'), (x) => x.applicant],
    [tr('contractPage.protectedParty'), (x) => (x.protectedPartyKind === 'natural' && !x.applicantIsProtectedParty ? x.protectedPerson : undefined)],
  ];
  for (const [who, get] of people) {
    for (const field of ['firstName', 'lastName', 'patronymic', 'fin', 'documentNumber', 'birthDate', 'address', 'phone', 'email'] as const) {
      const label = field === 'firstName' || field === 'lastName' || field === 'patronymic' ? tr('person.name') : tr(`person.${field}`);
      if (field === 'firstName' || field === 'patronymic') continue; // the name row covers them
      add(`${who}: ${label}`, (x) => (field === 'lastName' ? displayName(get(x)) : get(x)?.[field]));
    }
  }
  if (terms.protectedPartyKind === 'legal' || after.protectedPartyKind === 'legal') {
    for (const field of ['name', 'voen', 'address', 'email'] as const) {
      add(`${tr('contractPage.protectedParty')}: ${tr(field === 'name' ? 'entity.name' : field === 'voen' ? 'entity.voen' : `person.${field}`)}`, (x) => x.protectedEntity?.[field]);
    }
  }
  return rows;
}

/** Where a payment the person came back from stands, for the notice on top of the contract. */
export async function paymentOutcome(db: Knex, row: ContractRow, agentPaymentId: string | undefined) {
  if (!agentPaymentId) return undefined;
  const request = await db('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: row.id }).first();
  if (!request) return undefined;
  const state = Number(request.state);
  const paidStates: number[] = [PaymentState.Paid, PaymentState.Delivered, PaymentState.PartiallyPaid];
  const failedStates: number[] = [PaymentState.Error, PaymentState.Declined, PaymentState.Canceled, PaymentState.Expired];
  if (paidStates.includes(state)) {
    const applied = row.view.payments.some((p) => p.paymentId.startsWith(`${agentPaymentId}@`));
    return { kind: applied ? ('received' as const) : ('confirming' as const) };
  }
  if (failedStates.includes(state)) return { kind: 'failed' as const, reason: String(request.state_reason ?? row.view.lastPaymentFailure?.reason ?? '') || undefined };
  return { kind: 'open' as const, terminalCode: String(request.terminal_code) };
}

/** An order or a new version is decided but its documents are not stored yet. */
export function documentsPending(view: ContractView, documentCount: number): boolean {
  if (view.status !== 'active' && view.status !== 'finished') return false;
  const events = view.history.map((h) => h.event);
  return documentCount === 0 || events.lastIndexOf('amendment_applied') > events.lastIndexOf('order_issued');
}

/** The payment page of the agent for a request of this contract, opened by this person. */
export async function openPaymentRequest(db: Knex, contractId: string, agentPaymentId: string) {
  return db('payment_requests').where({ agent_payment_id: agentPaymentId, contract_id: contractId }).first();
}

/**
 * The hand-over page to the payment agent. The cabinet's Content-Security-Policy (`form-action
 * 'self'`) makes Chromium refuse a form whose answer redirects to another site, so "Ödə" redirects
 * here (same site) and this page sends the browser on with a Refresh header and a plain link.
 */
export async function renderPaymentHandoff(req: Request, res: Response, deps: WebDeps, row: ContractRow, agentPaymentId: string, backHref: string) {
  const request = await openPaymentRequest(deps.db, row.id, agentPaymentId);
  if (!request) throw notFound();
  const actor = req.session.actor!;
  if ((actor.kind === 'applicant') !== (request.kind === 'contract')) throw notFound();
  const url = String(request.payment_page_url);
  res.setHeader('Refresh', `2; url=${url}`);
  renderPage(req, res, 'contract/payment-handoff', {
    title: t(res, 'handoff.title'),
    section: actor.kind === 'applicant' ? 'applicant' : 'contracts',
    amount: formatAzn(Number(request.amount_qepik)),
    paymentPageUrl: url,
    terminalCode: request.terminal_code,
    backHref,
  });
}

// ---------------------------------------------------------------- the amendment form (R4.4)

interface AmendValues {
  holders: string[];
  evidenceNone: boolean;
  assignment: string;
  institutionId: string;
  institutionOther: string;
  totalAzn: string;
  plan: string;
  firstAzn: string;
  applicantPhone: string;
  applicantEmail: string;
  protectedPhone: string;
  protectedEmail: string;
  note: string;
}

const hasProtectedPerson = (terms: ContractTerms) => terms.protectedPartyKind === 'natural' && !terms.applicantIsProtectedParty;

function amendValuesOf(terms: ContractTerms): AmendValues {
  return {
    holders: [...terms.evidence.holders],
    evidenceNone: terms.evidence.none,
    assignment: terms.assignment,
    institutionId: terms.institution.id ?? 'other',
    institutionOther: terms.institution.id ? '' : terms.institution.name,
    totalAzn: formatAzn(terms.price.totalQepik),
    plan: terms.price.plan,
    firstAzn: terms.price.firstInstalmentQepik ? formatAzn(terms.price.firstInstalmentQepik) : '',
    applicantPhone: terms.applicant.phone ?? '',
    applicantEmail: terms.applicant.email ?? '',
    protectedPhone: hasProtectedPerson(terms) ? (terms.protectedPerson?.phone ?? '') : '',
    protectedEmail: hasProtectedPerson(terms) ? (terms.protectedPerson?.email ?? '') : '',
    note: '',
  };
}

function amendValuesFrom(body: Record<string, unknown>): AmendValues {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const holders = Array.isArray(body.holders) ? body.holders.map(str) : typeof body.holders === 'string' ? [body.holders] : [];
  return {
    holders,
    evidenceNone: body.evidenceNone === 'on',
    assignment: str(body.assignment),
    institutionId: str(body.institutionId),
    institutionOther: str(body.institutionOther),
    totalAzn: str(body.totalAzn).trim(),
    plan: str(body.plan),
    firstAzn: str(body.firstAzn).trim(),
    applicantPhone: str(body.applicantPhone).trim(),
    applicantEmail: str(body.applicantEmail).trim(),
    protectedPhone: str(body.protectedPhone).trim(),
    protectedEmail: str(body.protectedEmail).trim(),
    note: str(body.note),
  };
}

/** The form field that shows a rules-module error about a path of the terms. */
function formFieldOf(path: string, values: AmendValues): string {
  if (path.startsWith('evidence')) return 'holders';
  if (path === 'assignment') return 'assignment';
  if (path.startsWith('institution')) return values.institutionId === 'other' ? 'institutionOther' : 'institutionId';
  if (path === 'price.totalQepik' || path === 'price') return 'totalAzn';
  if (path === 'price.firstInstalmentQepik') return 'firstAzn';
  if (path === 'price.plan') return 'plan';
  if (path === 'applicant.phone') return 'applicantPhone';
  if (path === 'applicant.email') return 'applicantEmail';
  if (path === 'protectedPerson.phone') return 'protectedPhone';
  if (path === 'protectedPerson.email') return 'protectedEmail';
  return 'note';
}

/** The changes the form makes to the terms (only what differs), and the errors of what was typed. */
function amendmentFrom(values: AmendValues, terms: ContractTerms, institutions: { id: string; name: string }[], tr: Tr): { changes: ContractDraft; errors: FieldError[] } {
  const changes: ContractDraft = {};
  const errors: FieldError[] = [];
  const err = (field: string, code: string, fallback: string) => errors.push({ field, code, message: fieldMessage(tr, field, code, fallback) });

  const holders = values.holders.map((h) => h.trim()).filter((h) => h !== '');
  if (values.evidenceNone !== terms.evidence.none || holders.length !== terms.evidence.holders.length || holders.some((h, i) => h !== terms.evidence.holders[i])) {
    changes.evidence = { none: values.evidenceNone, holders };
  }
  const assignment = values.assignment.trim();
  if (assignment !== terms.assignment) changes.assignment = assignment;

  if (values.institutionId === 'other') {
    const name = values.institutionOther.trim();
    // null, not undefined: the merge of an amendment keeps what an absent key had, and "Digər" has no list id.
    if (terms.institution.id || name !== terms.institution.name) changes.institution = { id: null as unknown as undefined, name };
  } else {
    const chosen = institutions.find((i) => i.id === values.institutionId);
    if (!chosen) err('institutionId', 'invalid', 'Choose an institution from the list or "Digər".');
    else if (chosen.id !== terms.institution.id) changes.institution = { id: chosen.id, name: chosen.name };
  }

  const total = values.totalAzn === '' ? undefined : parseAznToQepik(values.totalAzn);
  if (values.totalAzn === '') err('totalAzn', 'required', 'Enter the price.');
  else if (total === undefined) err('totalAzn', 'invalid', 'Type the price as an amount.');
  const plan = values.plan === 'two_instalments' ? 'two_instalments' : 'single';
  let first: number | undefined;
  if (plan === 'two_instalments') {
    first = values.firstAzn === '' ? undefined : parseAznToQepik(values.firstAzn);
    if (values.firstAzn === '') err('firstAzn', 'required', 'Enter the first payment.');
    else if (first === undefined) err('firstAzn', 'invalid', 'Type the first payment as an amount.');
  }
  if (total !== undefined && (plan === 'single' || first !== undefined)) {
    const price: PriceTerms = plan === 'single' ? { totalQepik: total, plan } : { totalQepik: total, plan, firstInstalmentQepik: first };
    if (priceChanged(terms.price, price)) changes.price = price;
  }

  const contact = (value: string, kind: 'phone' | 'email') => (value === '' ? '' : kind === 'phone' ? (isValidPhone(value) ? normalizePhone(value) : value) : normalizeEmail(value));
  const applicant: Partial<NaturalPerson> = {};
  if (contact(values.applicantPhone, 'phone') !== (terms.applicant.phone ?? '')) applicant.phone = contact(values.applicantPhone, 'phone');
  if (contact(values.applicantEmail, 'email') !== (terms.applicant.email ?? '')) applicant.email = contact(values.applicantEmail, 'email');
  if (Object.keys(applicant).length > 0) changes.applicant = applicant;
  if (hasProtectedPerson(terms)) {
    const person: Partial<NaturalPerson> = {};
    if (contact(values.protectedPhone, 'phone') !== (terms.protectedPerson?.phone ?? '')) person.phone = contact(values.protectedPhone, 'phone');
    if (contact(values.protectedEmail, 'email') !== (terms.protectedPerson?.email ?? '')) person.email = contact(values.protectedEmail, 'email');
    // ContractDraft types an optional part whole; a merge needs only the changed keys.
    if (Object.keys(person).length > 0) changes.protectedPerson = person as NaturalPerson;
  }

  if (errors.length === 0) {
    for (const e of validateTerms(applyChanges(terms, changes), 'complete')) {
      const field = formFieldOf(e.field, values);
      if (!errors.some((x) => x.field === field)) err(field, e.code, e.message);
    }
  }
  return { changes, errors };
}

/** Which sub-sections of the amendment form are open: those with changes or errors. */
function openSections(values: AmendValues, terms: ContractTerms, errors: FieldError[]) {
  const start = amendValuesOf(terms);
  const has = (...fields: string[]) => errors.some((e) => fields.includes(e.field));
  return {
    evidence: has('holders') || values.evidenceNone !== start.evidenceNone || values.holders.filter((h) => h.trim()).join('\n') !== start.holders.join('\n'),
    assignment: has('assignment', 'institutionId', 'institutionOther') || values.assignment !== start.assignment || values.institutionId !== start.institutionId || values.institutionOther !== start.institutionOther,
    price: has('totalAzn', 'plan', 'firstAzn') || values.totalAzn !== start.totalAzn || values.plan !== start.plan || values.firstAzn !== start.firstAzn,
    contacts:
      has('applicantPhone', 'applicantEmail', 'protectedPhone', 'protectedEmail') ||
      values.applicantPhone !== start.applicantPhone ||
      values.applicantEmail !== start.applicantEmail ||
      values.protectedPhone !== start.protectedPhone ||
      values.protectedEmail !== start.protectedEmail,
  };
}

// ---------------------------------------------------------------- the pages

const REASON_FIELDS = { reject: 'rejectReason', terminate: 'terminateReason', rejectAmendment: 'amendmentRejectReason' } as const;
type ReasonStep = keyof typeof REASON_FIELDS;

export function contractPages(deps: WebDeps): Router {
  const { db, gateway } = deps;
  const router = Router();
  const contractId = (req: Request) => String(req.params.id);
  const actorOf = (req: Request): Actor => {
    const a = req.session.actor!;
    return { kind: a.kind, id: a.id, bureauId: a.bureauId, isHead: a.isHead };
  };
  const localeOf = (res: Response): Locale => (res.locals.locale === 'en' ? 'en' : 'az');

  async function showContract(
    req: Request,
    res: Response,
    row: ContractRow,
    extra: { errors?: FieldError[]; values?: Record<string, string>; open?: Record<string, boolean>; alert?: string } = {},
    status = 200,
  ) {
    const actor = actorOf(req);
    const tr = translator(res);
    const details = await contractDetails(db, actor, row);
    const view = row.view;
    const allowed = new Set<ContractAction>(details.allowedActions);
    const names = await lawyerNames(db, [view.lawyerId, ...view.history.map((h) => h.by), view.amendment?.proposedBy]);
    const outcome = await paymentOutcome(db, row, typeof req.query.payment === 'string' ? req.query.payment : undefined);
    const pendingDocs = documentsPending(view, details.documents.length);
    if (outcome?.kind === 'confirming' || pendingDocs) res.setHeader('Refresh', '4');

    const amendment = view.amendment && view.terms
      ? {
          awaitingConsent: view.amendment.status === 'awaiting_consent',
          proposed: tr('amendment.proposed', { who: whoOf(tr, view.amendment.proposedBy, names, row.applicant_account_id ?? undefined), at: formatDateTime(view.amendment.proposedAt) }),
          note: view.amendment.note,
          rows: amendmentRows(tr, view.terms, view.amendment.changes, { forApplicant: false }),
        }
      : undefined;
    const failure = view.lastPaymentFailure;
    renderPage(
      req,
      res,
      'contract/show',
      {
        title: tr('contractPage.title', { number: view.contractNumber }),
        section: 'contracts',
        contract: { id: row.id, number: view.contractNumber, status: view.status, statusLabel: tr(`status.${view.status}`) },
        alert: extra.alert ?? takeAlert(req),
        flash: takeNotice(req, res),
        outcome: outcome?.kind === 'failed' ? { ...outcome, reason: paymentReason(tr, outcome.reason) } : outcome,
        failure:
          failure && (!outcome || outcome.kind !== 'failed')
            ? { reason: paymentReason(tr, failure.reason), retry: failure.kind === 'bar_fee' && allowed.has('payBarFee') }
            : undefined,
        pendingDocs,
        archived: view.status === 'finished' || view.status === 'terminated',
        sections: termsSections(tr, view, { forApplicant: false, lawyerName: names.get(view.lawyerId) ?? '' }),
        rejection: view.status === 'draft' && view.rejection ? tr('contractPage.rejectedBecause', { reason: view.rejection.reason }) : undefined,
        history: historySentences(tr, view.history, names, { applicantAccountId: row.applicant_account_id ?? undefined, forApplicant: false }),
        documents: details.documents.map((d) => ({ ...d, issuedAtText: formatDateTime(String(d.issuedAt instanceof Date ? d.issuedAt.toISOString() : d.issuedAt)) })),
        amendment,
        dossier: await dossierForPage(db, actor, row, res),
        court: courtForPage(res, view, allowed),
        can: {
          wizard: view.status === 'draft' && allowed.has('saveDraft'),
          approve: allowed.has('approve'),
          reject: allowed.has('reject'),
          payBarFee: allowed.has('payBarFee'),
          amend: allowed.has('proposeAmendment'),
          approveAmendment: allowed.has('approveAmendment'),
          rejectAmendment: allowed.has('rejectAmendment'),
          finish: allowed.has('finish'),
          terminate: allowed.has('terminate'),
          restart: allowed.has('restart'),
        },
        anyAction: ['saveDraft', 'approve', 'payBarFee', 'proposeAmendment', 'finish', 'terminate', 'restart'].some((a) => allowed.has(a as ContractAction)),
        errors: extra.errors,
        values: extra.values ?? {},
        open: extra.open ?? {},
      },
      status,
    );
  }

  /** Runs a decision; a refusal comes back as the reason (409) or at its field (400), never as a crash. */
  async function decide(req: Request, res: Response, run: (id: string, actor: Actor) => Promise<unknown>, done: string, reasonStep?: ReasonStep) {
    const id = contractId(req);
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, id);
    const reasonField = reasonStep ? REASON_FIELDS[reasonStep] : undefined;
    const reason = reasonField ? String(req.body?.[reasonField] ?? '') : '';
    const reasonError = (message?: string) => {
      const tr = translator(res);
      const errors = [{ field: reasonField!, code: 'required', message: message ?? fieldMessage(tr, 'reason', 'required', 'Give a reason.') }];
      return showContract(req, res, row, { errors, values: { [reasonField!]: reason }, open: { [reasonStep!]: true } }, 400);
    };
    if (reasonField && reason.trim() === '') return reasonError();
    try {
      await run(id, actor);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && reasonField) return reasonError(localizeReason(res, http.message));
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message));
    }
    return redirectWithNotice(req, res, `/contracts/${id}`, t(res, done));
  }

  router.get('/contracts/:id', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    if (row.view.status === 'discarded') throw notFound();
    await showContract(req, res, row);
  });

  // R4.2.1 / R4.2.2: "Təsdiqlə", with "Ödəniş edilib" ticked → approve as already paid, then the Bar fee.
  router.post('/contracts/:id/approve', requirePageActor('lawyer'), async (req, res) => {
    const alreadyPaid = req.body?.alreadyPaid === 'on';
    if (!alreadyPaid) return decide(req, res, (id, actor) => gateway.approve(id, actor), 'done.approved');
    const id = contractId(req);
    const actor = actorOf(req);
    await loadVisibleContract(db, actor, id);
    try {
      await gateway.approveAsAlreadyPaid(id, actor);
    } catch (err) {
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, stepRefusal(err).message));
    }
    // The manual: approving as paid sends the head straight on to the payment agent for the 20.50 AZN fee.
    return payBarFee(req, res, t(res, 'done.approvedAsPaid'));
  });

  async function payBarFee(req: Request, res: Response, flashOnFailure?: string) {
    const id = contractId(req);
    try {
      const started = await startPayment(deps, actorOf(req), id, localeOf(res));
      res.redirect(303, `/contracts/${id}/payment/${encodeURIComponent(started.agentPaymentId)}`);
    } catch (err) {
      const http = stepRefusal(err);
      if (flashOnFailure) req.session.flash = flashOnFailure;
      return redirectWithAlert(req, res, `/contracts/${id}`, localizeReason(res, http.message));
    }
  }

  router.post('/contracts/:id/bar-fee', requirePageActor('lawyer'), async (req, res) => {
    await loadVisibleContract(db, actorOf(req), contractId(req));
    await payBarFee(req, res);
  });

  router.get('/contracts/:id/payment/:payment', requirePageActor('lawyer'), async (req, res) => {
    const row = await loadVisibleContract(db, actorOf(req), contractId(req));
    await renderPaymentHandoff(req, res, deps, row, String(req.params.payment), `/contracts/${row.id}`);
  });

  router.post('/contracts/:id/reject', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.reject(id, actor, String(req.body.rejectReason).trim()), 'done.rejected', 'reject'),
  );
  router.post('/contracts/:id/amendment/approve', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.approveAmendment(id, actor), 'done.amendmentApproved'),
  );
  router.post('/contracts/:id/amendment/reject', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.rejectAmendment(id, actor, String(req.body.amendmentRejectReason).trim()), 'done.amendmentRejected', 'rejectAmendment'),
  );
  router.post('/contracts/:id/finish', requirePageActor('lawyer'), (req, res) => decide(req, res, (id, actor) => gateway.finish(id, actor), 'done.finished'));
  router.post('/contracts/:id/terminate', requirePageActor('lawyer'), (req, res) =>
    decide(req, res, (id, actor) => gateway.terminate(id, actor, String(req.body.terminateReason).trim()), 'done.terminated', 'terminate'),
  );
  router.post('/contracts/:id/restart', requirePageActor('lawyer'), (req, res) => decide(req, res, (id, actor) => gateway.restart(id, actor), 'done.restarted'));

  // ------------------------------------------------------------ "Müqaviləyə düzəliş et" (R4.4)

  async function showAmendForm(req: Request, res: Response, row: ContractRow, values: AmendValues, extra: { errors?: FieldError[]; alert?: string } = {}, status = 200) {
    const terms = row.view.terms!;
    const actor = actorOf(req);
    const institutions = await db('institutions').orderBy('name').select('id', 'name');
    const holders = [...values.holders.filter((h) => h.trim() !== ''), ''];
    const errors = extra.errors ?? [];
    renderPage(
      req,
      res,
      'contract/amend',
      {
        title: `${t(res, 'amend.title')} · ${row.number}`,
        section: 'contracts',
        contract: { id: row.id, number: row.number },
        isHead: actor.isHead === true && actor.bureauId === row.bureau_id,
        values,
        holders: holders.map((value, i) => ({ value, n: i + 1, id: i === 0 ? 'f-holders' : `f-holders-${i + 1}` })),
        institutions: institutions.map((i: { id: string; name: string }) => ({ ...i, selected: i.id === values.institutionId })),
        otherSelected: values.institutionId === 'other',
        twoInstalments: values.plan === 'two_instalments',
        rest: (() => {
          const total = parseAznToQepik(values.totalAzn);
          const first = parseAznToQepik(values.firstAzn);
          return total !== undefined && first !== undefined && first < total ? formatAzn(total - first) : '—';
        })(),
        hasProtectedPerson: hasProtectedPerson(terms),
        open: openSections(values, terms, errors),
        errors: errors.length > 0 ? errors : undefined,
        alert: extra.alert,
      },
      status,
    );
  }

  router.get('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const { allowedActions } = await contractDetails(db, actor, row);
    if (!allowedActions.includes('proposeAmendment') || !row.view.terms) {
      return redirectWithAlert(req, res, `/contracts/${row.id}`, row.view.amendment ? localizeReason(res, 'An amendment is already pending.') : localizeReason(res, `Only an active contract can be amended (it is ${row.view.status}).`));
    }
    await showAmendForm(req, res, row, amendValuesOf(row.view.terms));
  });

  router.post('/contracts/:id/amend', requirePageActor('lawyer'), async (req, res) => {
    const actor = actorOf(req);
    const row = await loadVisibleContract(db, actor, contractId(req));
    const terms = row.view.terms;
    if (!terms) return redirectWithAlert(req, res, `/contracts/${row.id}`, localizeReason(res, `Only an active contract can be amended (it is ${row.view.status}).`));
    const tr = translator(res);
    const values = amendValuesFrom(req.body ?? {});
    const institutions = await db('institutions').select('id', 'name');
    const { changes, errors } = amendmentFrom(values, terms, institutions, tr);
    if (errors.length > 0) return showAmendForm(req, res, row, values, { errors }, 400);
    if (Object.keys(changes).length === 0) return showAmendForm(req, res, row, values, { alert: tr('amend.nothingChanged') }, 400);
    try {
      await gateway.proposeAmendment(row.id, actor, changes, values.note.trim() || undefined);
    } catch (err) {
      const http = stepRefusal(err);
      if (http.status === 400 && http.fields?.length) {
        const fieldErrors = http.fields.map((f) => {
          const field = formFieldOf(f.field, values);
          return { field, code: f.code, message: fieldMessage(tr, field, f.code, f.message) };
        });
        return showAmendForm(req, res, row, values, { errors: fieldErrors }, 400);
      }
      return showAmendForm(req, res, row, values, { alert: localizeReason(res, http.message) }, http.status);
    }
    const after = await loadVisibleContract(db, actor, row.id);
    const done = after.view.amendment?.status === 'awaiting_consent' ? 'done.amendToApplicant' : after.view.amendment ? 'done.amendToHead' : 'done.amendApplied';
    return redirectWithNotice(req, res, `/contracts/${row.id}`, t(res, done));
  });

  return router;
}

/** What the applicant owes before the order, or the balance afterwards (the same sum startPayment asks). */
export function amountDueNow(view: ContractView): number {
  if (view.status === 'awaiting_payment' && view.terms) return Math.max(0, amountDueForOrderQepik(view.terms.price) - view.paidQepik);
  if (view.status === 'awaiting_fee') return BAR_FEE_QEPIK;
  return view.balanceDueQepik;
}
