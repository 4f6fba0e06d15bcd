### Собственные фразы CLI qorgan на русском (ru). Фразы движка (находки, проверка) — в
### rust-core/engine/i18n/. Те же id и аргументы, что в en.ftl и kk.ftl (проверяет тест).
### Коды, имена флагов, SHA-256, SPKI, PEM и ключи JSON не переводятся.

## Ошибки (одно предложение: аргумент или файл и что сделать)

cli-error-inspect-no-input = Команде inspect нужна цепочка: укажите файл PEM, DER или PKCS#7 или передайте его на вход (qorgan inspect - < chain.pem).
cli-error-at-validated = --at не применяется с --validated: платформа уже проверила даты. Уберите --at.
cli-error-pins-needs-host = Для --pins нужен --host: пины относятся к хосту, для которого цепочка. Добавьте --host ИМЯ.
cli-error-fast-path = быстрая проверка при рукопожатии сочла цепочку чистой, но вердикт — { $verdict }
cli-error-internal = внутренняя ошибка: { $error }
cli-error-chain-too-long = В цепочке { $count ->
    [one] { $count } сертификат
    [few] { $count } сертификата
   *[other] { $count } сертификатов
}, а допустимо не больше { $limit }. Дайте только цепочку сервера (сначала конечный сертификат); для хранилища используйте audit.
cli-stdin = стандартный ввод
cli-error-is-directory = { $file }: это папка. Укажите файл сертификата; папки читает audit.
cli-error-too-large = { $file }: { $bytes } байт — слишком много для файла сертификата. Проверьте, тот ли это файл.
cli-io-not-found = такого файла нет. Проверьте путь.
cli-io-permission-denied = нет доступа. Запустите от пользователя, который может его прочитать.
cli-error-no-certificate-in-paths = По указанным путям не найдено ни одного сертификата. Укажите файлы PEM, DER или PKCS#7 или папки с ними.
cli-could-not-read = не удалось прочитать { $file }: { $reason }
cli-folder-not-listed = папку нельзя просмотреть: { $reason }
cli-system-store = системное хранилище сертификатов
cli-system-store-bad-pem = один из PEM-файлов в нём повреждён (загрузчик хранилища не говорит, какой)
cli-error-system-store-empty = В хранилище сертификатов этого компьютера ничего не найдено. Задайте SSL_CERT_FILE или укажите файлы для проверки.
cli-error-at = --at "{ $value }": такое время Qorgan не понимает. Укажите время в формате RFC 3339, например 2019-07-20T00:00:00Z, или число секунд с 1970 года, например 1563580800.
cli-error-host = { $flag } "{ $value }": это не имя хоста. Укажите имя, например example.com, или IP-адрес.
cli-error-check-host = "{ $value }": это не имя хоста. Укажите имя, например example.com, или адрес, например https://example.com/path.
cli-error-timeout = --timeout { $value }: укажите число секунд больше 0 и не больше 300, например 10.
cli-error-connect = --connect "{ $value }": укажите IP:PORT, например 203.0.113.7:443 или [2001:db8::1]:443.
cli-error-policy-not-text = { $file }: политика пинов — не текст UTF-8. Укажите XML Network Security Config или файл JSON.
cli-policy-warning = { $file }: предупреждение: { $warning }

## Что не так с файлом сертификатов (после его имени)

cli-store-empty = файл пуст. Укажите файл с сертификатами.
cli-store-not-pem = сертификат не найден: текст не в формате PEM (нет строки "-----BEGIN CERTIFICATE-----").
cli-store-not-pem-or-der = сертификат не найден: файл не PEM и не DER.
cli-store-too-many = в файле { $count ->
    [one] { $count } сертификат
    [few] { $count } сертификата
   *[other] { $count } сертификатов
}, а Qorgan читает из одного файла не больше { $limit }.
cli-store-no-end = у раздела, который начинается с "-----BEGIN { $label }-----", нет строки "-----END { $label }-----": файл, возможно, обрезан. Скопируйте его заново целиком.
cli-store-no-certificate = в файле нет сертификатов.
cli-store-no-certificate-sections = сертификат не найден: в файле только разделы PEM { $labels }.
cli-pem-mismatched = раздел начинается с "-----BEGIN { $begin }-----", а заканчивается на "-----END { $end }-----".
cli-pem-bad-base64 = раздел PEM — не корректный base64: между строками BEGIN и END есть символ, кроме A-Z, a-z, 0-9, +, / и =. Файл, возможно, повреждён; скопируйте его заново.
cli-pem-bad-headers = в разделе PEM неправильные строки заголовков ("Имя: значение" перед пустой строкой).
cli-pem-not-text = в разделе PEM есть байты, которые не являются текстом.
cli-pem-unpaired = строки BEGIN и END в PEM не складываются в пары.

## Заметки в стандартный поток ошибок

cli-note-skipped-anchor = заметка: доверенный сертификат №{ $index } ({ $subject }) не может быть якорем пути ({ $reason }); подписанные им цепочки всё равно находятся по его подписи.
cli-note-skipped-files = { $folder }: пропущено файлов без сертификатов: { $count }.
cli-note-store-path-missing = системное хранилище: { $file }: такого файла нет

## inspect: вердикт цепочки

cli-verdict-word = { $verdict ->
    [trusted] НАДЁЖНО
    [intercepted_known] ПЕРЕХВАТ
    [intercepted_local] ПЕРЕХВАТ (локальный УЦ)
    [untrusted] НЕТ ДОВЕРИЯ
    [invalid] НЕДЕЙСТВИТЕЛЬНО
   *[pin_violation] НАРУШЕНИЕ ПИНОВ
}
cli-verdict-line-host = { $word } ({ $host }): { $sentence }
cli-verdict-line = { $word }: { $sentence }
cli-verdict-trusted = цепочка ведёт к публичному корню { $anchor } ({ $programs }).
cli-verdict-intercepted-known = это соединение идёт через известный УЦ перехвата: { $ca }.
cli-verdict-intercepted-known-unnamed = это соединение идёт через известный УЦ перехвата (см. находки).
cli-verdict-intercepted-local = цепочка заканчивается на «{ $anchor }». Это устройство ему доверяет, но ни одна публичная корневая программа — нет.
cli-verdict-untrusted = цепочка не ведёт ни к одному доверенному корню; телефон отказался бы от неё.
cli-verdict-invalid = цепочка ведёт к { $anchor }, но её нельзя принять. { $problem }
cli-verdict-pin-violation = ни один сертификат проверенной цепочки не совпадает с пинами приложения.
cli-heading-findings = Находки
cli-heading-path = Путь
cli-heading-anchor = Якорь
cli-severity = { $severity ->
    [critical] критично
    [warning] внимание
   *[info] сведения
}
cli-role = { $role ->
    [leaf] конечный
    [intermediate] промежуточный
    [root] корневой
   *[anchor] якорь
}
cli-path-unreadable = прочитан не полностью
cli-path-not-sent = не прислан; взят из { $source ->
    [caller] указанных доверенных якорей
    [known] списка УЦ перехвата Qorgan
   *[programs] встроенных корневых программ
}
cli-anchor-public = публичный корень ({ $programs })
cli-anchor-known-interception = известный УЦ перехвата
cli-anchor-non-public = нет ни в одной публичной корневой программе
cli-anchor-distrusted = лишён доверия за нарушения

## audit: хранилище сертификатов

cli-audit-word = { $outcome ->
    [danger] ОПАСНО
    [warning] ВНИМАНИЕ
    [incomplete] НЕ ВСЁ ПРОВЕРЕНО
   *[clean] ЧИСТО
}
cli-audit-interception = Здесь доверяют известным УЦ перехвата: { $count }. Их владелец может читать и изменять HTTPS-трафик.
cli-audit-blocked = Здесь доверяют УЦ, которые браузеры блокируют после взлома или нарушений: { $count }.
cli-audit-non-public = Корней вне публичных программ: { $count }. Каждый из них можно использовать для перехвата HTTPS-трафика. Удалите те, которых вы не знаете.
cli-audit-see-findings = смотрите находки ниже.
cli-audit-incomplete = Не удалось прочитать файлы, в которых могут быть сертификаты: { $count } (ниже). В прочитанных сертификатах нет ни УЦ перехвата, ни корней вне публичных программ.
cli-audit-clean = нет ни УЦ перехвата, ни корней вне публичных программ.
cli-audit-sources = { $count ->
    [one] { $count } файла
   *[other] { $count } файлов
}
cli-audit-counts = Сертификатов: { $total }, из { $from }. Известных УЦ перехвата: { $known }{ $blocked ->
    [0] {""}
   *[other] {" "}(заблокированы браузерами: { $blocked })
}. Вне публичных программ: { $non_public }. Публичных корней: { $public }. Не УЦ: { $not_ca }.
cli-audit-file-count = { $file }: сертификатов: { $count }
cli-heading-unreadable = Файлы, которые не удалось прочитать
cli-heading-unreadable-note = в них могут быть сертификаты, которых эта проверка не видела
cli-heading-attention = Сертификаты, требующие внимания
cli-audit-in-file = из файла { $file }
cli-audit-compared = Сравнение с: { $versions }

## check: проверка сайтов

cli-check-col-host = хост
cli-check-col-verdict = вердикт
cli-check-col-detail = подробности
cli-check-verdict = { $verdict ->
    [trusted] надёжно
    [intercepted_known] перехват
    [intercepted_local] перехват (локальный УЦ)
    [untrusted] нет доверия
    [invalid] недействителен
    [pin_violation] нарушение пинов
   *[unreachable] не проверен
}
cli-check-then = { $finding } (затем: { $error })
cli-probe-error = { $code ->
    [dns_failed] Имя { $host } не удалось найти в DNS.
    [connect_failed] Не удалось подключиться к { $host }.
    [connection_refused] { $host } отклонил подключение: на этом порту ничего не работает.
    [not_tls] { $host } ответил, но не по TLS (обычный HTTP-сервер?).
    [timeout] { $host } не ответил вовремя.
    [tls_alert] { $host } ответил TLS-сигналом об ошибке.
    [reset_after_client_hello] Соединение с { $host } оборвалось сразу после ClientHello: так обычно выглядит блокировка сайта по имени.
   *[tls_error] TLS-рукопожатие с { $host } не удалось.
}
cli-check-counts = Надёжно: { $trusted }. Перехват (известный УЦ): { $known }. Перехват (локальный УЦ): { $local }. Нет доверия: { $untrusted }. Недействительно: { $invalid }. Не проверено: { $unreachable }.

## pin

cli-pin-domain = Домен: { $domain } ({ $source ->
    [given] как указано
    [common_name] общее имя (CN) конечного сертификата; другой можно выбрать через --domain
    [san] первое DNS-имя конечного сертификата; другой можно выбрать через --domain
   *[none] заглушка: у цепочки нет имени конечного сертификата; укажите --domain
})
cli-pin-paste-nsc = вставьте внутрь <domain-config> для { $domain } в res/xml/network_security_config.xml
cli-pin-json-heading = То же в формате JSON Qorgan
cli-pin-note-leaf = меняется при каждом обновлении сертификата с новым ключом
cli-pin-note-root-not-sent = сервер его не прислал; найден в корневых программах
cli-pin-backup-here = добавьте сюда запасной пин: ключ, которого нет в этой цепочке
cli-pin-advice = Какие пины выбрать: закрепите не меньше двух ключей и никогда только конечный.
cli-pin-advice-ca = Ключ промежуточного или корневого УЦ переживает ваши обновления сертификата, пока вы остаётесь с этим УЦ; ключ корня переживает и смену промежуточного. Любой из них уже останавливает УЦ, установленные пользователем, компанией или государством.
cli-pin-advice-leaf = Ключ конечного сертификата меняется при каждом обновлении, если ключ не переиспользуется: закрепляйте его только вместе с ключом УЦ или если вы управляете обновлениями.
cli-pin-advice-backup = Добавьте запасной пин, которого нет в сегодняшней цепочке: второй УЦ, к которому можно перейти, или запасную пару ключей, хранимую офлайн для следующего сертификата. Без него вынужденная смена ключа отрежет все установленные приложения, пока пользователи их не обновят.
cli-pin-advice-expiration = Оставьте срок действия (здесь один год), чтобы необновлённое приложение перестало проверять пины, а не сломалось, и сначала попробуйте политику в режиме только отчётов ("enforce": false в JSON).

## bundle: подписанные пакеты сведений (keygen, sign, verify, --bundle)

cli-bundle-error-too-large = размер пакета { $size } байт, больше предела { $limit }. Проверьте, тот ли это файл.
cli-bundle-error-not-a-bundle = это не пакет Qorgan: он не начинается с QORGAN-BUNDLE-V1 или обрезан. Проверьте, тот ли это файл и скачан ли он полностью.
cli-bundle-error-malformed = пакет повреждён или составлен неверно: { $reason }
cli-bundle-error-unknown-key = пакет подписан ключом { $key }, которого нет среди ключей --public-key. Укажите действующий открытый ключ издателя.
cli-bundle-error-bad-signature = подпись пакета не сходится: файл изменили после подписи или его подписал кто-то другой. Не используйте его.
cli-bundle-error-expired = срок действия пакета истёк ({ $expires }). Возьмите у издателя более новый пакет.
cli-bundle-error-not-newer = версия пакета { $version } не новее действующей версии { $current }; старый пакет не может заменить новый.
cli-bundle-error-no-keys = не указан ни один открытый ключ, поэтому пакет нельзя принять. Добавьте --public-key.
cli-bundle-error-invalid-key = ключ непригоден: { $reason }
cli-bundle-error-write = не удалось записать { $file }: { $reason }
cli-bundle-error-key-exists = { $file }: файл уже существует. Qorgan никогда не перезаписывает закрытый ключ: выберите другое имя.
cli-bundle-error-expires = --expires "{ $value }": укажите день в виде ГГГГ-ММ-ДД, например 2027-06-30.
cli-bundle-error-expires-past = --expires { $value }: этот день уже наступил. Срок действия пакета должен истекать в будущем.
cli-bundle-error-content = { $file }: это содержимое нельзя подписать: { $reason }
cli-bundle-error-content-not-text = { $file }: содержимое не является текстом UTF-8. Укажите файл JSON.
cli-bundle-keygen-done = Закрытый ключ записан в { $file } (идентификатор ключа { $key }). Храните его в тайне и вне сети; никогда не кладите его в приложение. Открытый ключ для приложений (--public-key) — на следующей строке.
cli-bundle-signed = Подписанный пакет записан в { $file }.
cli-bundle-verified = { $file }: подпись верна, срок действия пакета не истёк.
cli-bundle-version = Версия: { $version }
cli-bundle-issued = Выпущен: { $date }
cli-bundle-expires = Действует до: { $date }
cli-bundle-key = Идентификатор ключа: { $key }
cli-bundle-counts = Известные УЦ: { $cas }; недоверенные ключи: { $distrusted }; домены с пинами: { $domains }
cli-bundle-in-use = Сведения: встроенные и пакет (версия { $version }, выпущен { $issued }, известных УЦ в нём: { $cas }).
