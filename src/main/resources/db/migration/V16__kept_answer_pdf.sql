-- Issue 17: an issuance's kept answer holds its PDF once, as bytes. `answer` is then the answer's JSON without the
-- base64 text of the PDF, which goes back in at byte `answer_pdf_at` when the answer is replayed (contract §3: byte
-- for byte the answer first given). Other answers (refusals, listings) leave both NULL.
ALTER TABLE center_transaction
    ADD COLUMN answer_pdf    LONGBLOB NULL AFTER answer,
    ADD COLUMN answer_pdf_at INT      NULL AFTER answer_pdf;
