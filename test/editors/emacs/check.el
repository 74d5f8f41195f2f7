;;; check.el --- Emacs and eglot against the language server, as a user would  -*- lexical-binding: t -*-

;; Run by test/editors/emacs.test.ts as `emacs --batch -Q -l check.el', in a fresh HOME:
;;   1. loads the README's Emacs snippet (HARDENER_EMACS_CONFIG) as a user's init file would;
;;   2. visits the Dockerfile (HARDENER_EDITOR_FILE): dockerfile-mode's hook calls eglot-ensure,
;;      which connects after the next command; here `post-command-hook' is run for that command;
;;   3. waits for the diagnostics, then for each step (HARDENER_EMACS_STEPS, a JSON list of
;;      {line, title}) runs `eglot-code-actions' on the line as M-x would, picking the action by its
;;      title where eglot asks for one, and waits for the edit and the diagnostics that follow it;
;;   4. shuts the server down and writes what happened as JSON to HARDENER_EDITOR_OUT.
;; Every wait polls `accept-process-output' up to HARDENER_EMACS_TIMEOUT seconds; nothing sleeps a
;; fixed time.  Emacs exits 0 on success, 1 with `error' in the JSON otherwise.

(require 'cl-lib)
(require 'json)
(require 'package)

;; Debian's elpa-* packages (eglot, dockerfile-mode) live here: make them loadable as for a user.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defvar hardener-timeout (string-to-number (or (getenv "HARDENER_EMACS_TIMEOUT") "10")))
(defvar hardener-published nil "Every publishDiagnostics the server sent, newest first.")
(defvar hardener-buffer nil)

(defun hardener--record (_server method &rest params)
  (when (eq method 'textDocument/publishDiagnostics)
    (push params hardener-published)))

(defun hardener-wait (what probe)
  "Poll PROBE until it returns non-nil, or fail after `hardener-timeout' seconds."
  (let ((deadline (+ (float-time) hardener-timeout)) value)
    (while (and (not (setq value (funcall probe))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or value (error "Timed out after %s s waiting for %s" hardener-timeout what))))

(defun hardener-current-diagnostics ()
  "The diagnostics the server published for this buffer's current version."
  (cl-loop for p in hardener-published
           when (equal (plist-get p :version) eglot--versioned-identifier)
           return (or (plist-get p :diagnostics) [])))

(defun hardener-position (pos)
  (save-excursion
    (goto-char pos)
    (list :line (1- (line-number-at-pos)) :character (- pos (line-beginning-position)))))

(defun hardener-shown ()
  "What flymake shows once it has asked eglot for the diagnostics."
  (flymake-start)
  (vconcat
   (mapcar (lambda (d)
             (list :range (list :start (hardener-position (flymake-diagnostic-beg d))
                                :end (hardener-position (flymake-diagnostic-end d)))
                   :type (symbol-name (flymake-diagnostic-type d))
                   :code (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code)))
           (flymake-diagnostics))))

(defun hardener-lines ()
  (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n"))

(defun hardener-step (step)
  "Run the code action titled (plist-get STEP :title) on line (plist-get STEP :line)."
  (let ((line (plist-get step :line))
        (title (plist-get step :title))
        (tick (buffer-chars-modified-tick))
        offered chosen)
    (goto-char (point-min))
    (forward-line (1- line))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (setq offered (mapcar #'car collection))
                 (let ((action (cdr (assoc title collection))))
                   (unless action
                     (error "\"%s\" was not offered on line %d; the menu was %S" title line offered))
                   (setq chosen (list :kind (plist-get action :kind)
                                      :has_edit (if (plist-get action :edit) t :json-false)))
                   title))))
      ;; A keyboard event, not a mouse one: eglot asks in the minibuffer rather than with a popup.
      (let ((last-nonmenu-event ?\r))
        (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
    (hardener-wait (format "the edit of \"%s\"" title)
                   (lambda () (/= tick (buffer-chars-modified-tick))))
    ;; eglot sends didChange from an idle timer, and batch Emacs is never idle: send it now.
    (eglot--signal-textDocument/didChange)
    (list :line line :title title :offered (vconcat offered) :chosen chosen
          :lines (vconcat (hardener-lines))
          :diagnostics (hardener-wait (format "the diagnostics after \"%s\"" title)
                                      #'hardener-current-diagnostics)
          :shown (hardener-shown))))

(defun hardener-scenario (result)
  (load (getenv "HARDENER_EMACS_CONFIG") nil t)
  (setq hardener-buffer (find-file-noselect (getenv "HARDENER_EDITOR_FILE")))
  (set-buffer hardener-buffer)
  (plist-put result :mode (symbol-name major-mode))
  (unless (featurep 'eglot) (error "Visiting the Dockerfile did not load eglot"))
  (advice-add 'eglot-handle-notification :before #'hardener--record)
  ;; The user's next command: eglot-ensure connects after it.
  (run-hooks 'post-command-hook)
  (let ((server (hardener-wait "eglot to connect" #'eglot-current-server)))
    (plist-put result :server (list :name (jsonrpc-name server)
                                    :resolveProvider (if (eglot--server-capable :codeActionProvider :resolveProvider) t :json-false))))
  (plist-put result :opened (list :diagnostics (hardener-wait "the first diagnostics" #'hardener-current-diagnostics)
                                  :shown (hardener-shown)))
  (plist-put result :steps (vconcat (mapcar #'hardener-step
                                            (json-read-from-string (or (getenv "HARDENER_EMACS_STEPS") "[]"))))))

(defun hardener-finish (result error)
  (when error (setq result (plist-put result :error error)))
  (let ((server (and (buffer-live-p hardener-buffer)
                     (with-current-buffer hardener-buffer (eglot-current-server)))))
    (when server
      (condition-case err (eglot-shutdown server)
        (error (setq result (plist-put result :shutdown_error (error-message-string err)))))
      (setq result (plist-put result :server_stopped (if (jsonrpc-running-p server) :json-false t)))))
  (with-temp-file (getenv "HARDENER_EDITOR_OUT")
    (insert (let ((json-object-type 'plist)) (json-encode result))))
  (kill-emacs (if error 1 0)))

(let ((result (list :mode nil))
      (json-object-type 'plist)
      (json-array-type 'list)
      (json-key-type 'keyword))
  (run-at-time (* 4 hardener-timeout) nil
               (lambda () (hardener-finish result (format "no result after %s s" (* 4 hardener-timeout)))))
  (condition-case err
      (progn (hardener-scenario result)
             (hardener-finish result nil))
    (error (hardener-finish result (error-message-string err)))))

;;; check.el ends here
