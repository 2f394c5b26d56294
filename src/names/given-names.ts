/**
 * Dictionary of Belarusian and Russian given names: each entry links the Russian form(s), the
 * Belarusian form(s) and conventional Latin spellings that no transliteration scheme produces
 * (Alexander, Eugene, Helena …). Full (passport) forms only, no diminutives.
 *
 * Line format: `gender|Russian forms|Belarusian forms|Latin forms|Russian patronymic|Belarusian patronymic`
 * (forms separated by commas; the last three fields may be empty). A patronymic field overrides the
 * rule-derived male patronymic where it is irregular (Павел → Павлович / Паўлавіч); the female form is
 * derived from it.
 */

const DATA = `
m|Александр|Аляксандр,Алесь|Alexander,Alexandr,Aleksander,Alexandre,Oleksandr,Alyaksandr,Aliaksandr,Aljaksandr
m|Алексей|Аляксей|Alexei,Alexey,Aleksei,Aleksey,Alexis,Oleksii,Aliaksei,Alyaksey
m|Анатолий|Анатоль,Анатолій|Anatoly,Anatolii,Anatoli,Anatol
m|Андрей|Андрэй|Andrei,Andrey,Andrew,Andrzej,Andrej,Andrii
m|Антон|Антон|Anton,Antoni
m|Аркадий|Аркадзь,Аркадзій|Arkady,Arkadiusz
m|Арсений|Арсень,Арсеній|Arseny,Arsenii
m|Артём,Артем|Арцём,Арцем|Artyom,Artem,Artsiom,Artsem,Artiom
m|Артур|Артур|Arthur,Artur
m|Борис|Барыс|Boris,Barys
m|Богдан|Багдан|Bogdan,Bohdan,Bahdan
m|Вадим|Вадзім|Vadim,Vadzim
m|Валентин|Валянцін|Valentin,Valiantsin,Valentine
m|Валерий|Валерый|Valery,Valeri,Valeriy,Valer
m|Василий|Васіль|Vasily,Vasili,Vasiliy,Vasil,Vasyl,Wassili
m|Вениамин|Веніямін|Veniamin,Benjamin
m|Виктор|Віктар|Victor,Viktor,Viktar,Wiktor
m|Виталий|Віталь,Віталій|Vitaly,Vitali,Vitaliy,Vital,Vitalii
m|Владимир|Уладзімір|Vladimir,Uladzimir,Wladimir,Wlodzimierz,Volodymyr
m|Владислав|Уладзіслаў|Vladislav,Uladzislau,Wladyslaw,Vladyslav
m|Вячеслав|Вячаслаў|Vyacheslav,Viachaslau,Viacheslav,Wieslaw
m|Геннадий|Генадзь,Генадзій|Gennady,Gennadiy,Gennadi,Henadz,Genadij
m|Георгий|Георгій|George,Georgy,Georgiy,Georgi,Heorhi,Jerzy
m|Герман|Герман|German,Herman,Hermann
m|Глеб|Глеб|Gleb,Hleb
m|Григорий|Рыгор,Грыгорый|Grigory,Grigoriy,Grigori,Gregory,Hryhory,Ryhor,Grzegorz
m|Даниил,Данила|Данііл,Даніла|Daniel,Daniil,Danila,Danil
m|Денис|Дзяніс|Denis,Dzianis,Denys,Dennis
m|Дмитрий|Дзмітрый,Зміцер,Зьміцер|Dmitry,Dmitriy,Dmitri,Dzmitry,Dmitrij,Dymitr,Zmitser,Zmicier,Zmitsier
m|Евгений|Яўген,Яўгеній|Evgeny,Evgeniy,Yevgeny,Yevgeniy,Eugene,Eugeniusz,Yauhen,Yauheni,Jewgeni
m|Егор|Ягор|Egor,Yegor,Yahor,Jegor
m|Иван|Іван,Янка,Ясь|Ivan,John,Iwan,Yanka,Janka,Yas
m|Игорь|Ігар|Igor,Ihar,Ihor
m|Илья|Ілля|Ilya,Ilia,Illia,Ilja,Elias|Ильич|Ільіч
m|Кирилл|Кірыл|Kirill,Kiryl,Kyrylo,Cyril
m|Константин|Канстанцін,Кастусь|Konstantin,Kanstantsin,Constantine,Konstanty,Kastus,Kastuś
m|Леонид|Леанід|Leonid,Leanid
m|Максим|Максім|Maxim,Maksim,Maksym,Maxime
m|Марк|Марк|Mark,Marc,Marek
m|Михаил|Міхаіл,Міхал,Міхась|Mikhail,Michail,Michael,Mikhal,Michal,Mykhailo,Mikhas,Michas|Михайлович|Міхайлавіч
m|Никита|Мікіта|Nikita,Mikita|Никитич|Мікітавіч
m|Николай|Мікалай|Nikolai,Nikolay,Nicholas,Nikolaj,Mikalai,Mikalay,Mykola,Mikolaj
m|Олег|Алег|Oleg,Aleh,Oleh
m|Павел|Павел|Pavel,Paul,Pawel,Paval,Pavlo|Павлович|Паўлавіч
m|Пётр,Петр|Пётр,Пятро,Пятрусь|Pyotr,Petr,Peter,Piotr,Piatro,Petro|Петрович|Пятровіч
m|Роман|Раман|Roman,Raman
m|Руслан|Руслан|Ruslan
m|Сергей|Сяргей|Sergei,Sergey,Serge,Siarhei,Siarhey,Syarhey,Sergiusz,Serhii
m|Станислав|Станіслаў|Stanislav,Stanislau,Stanislaw
m|Степан|Сцяпан|Stepan,Stsiapan,Stephen
m|Тимофей|Цімафей|Timofei,Timofey,Tsimafei,Timothy
m|Фёдор,Федор|Фёдар,Хведар,Тодар|Fyodor,Fedor,Fiodar,Theodore,Feodor,Fedir
m|Юрий|Юрый,Юрась|Yury,Yuri,Yuriy,Iurii,Jurij,Yurii,Yuras
m|Ярослав|Яраслаў|Yaroslav,Yaraslau,Jaroslaw
m|Яков|Якаў|Yakov,Yakau,Jakob,Jacob,Jakub|Яковлевич|Якаўлевіч
m|Семён,Семен|Сямён,Сямен,Сымон|Semyon,Semen,Siamion,Symon
m|Эдуард|Эдуард|Eduard,Edward,Edouard
m|Эрик|Эрык|Eric,Erik,Eryk
m|Всеволод|Усевалад|Vsevolod,Usevalad
m|Гордей|Гардзей|Gordei,Hardzei
m|Давид|Давід|David,Dawid,Davyd
m|Демьян|Дзям'ян|Demyan,Dziamian,Damian
m|Ефим|Яфім|Efim,Yefim,Yafim
m|Захар|Захар|Zakhar,Zachar
m|Зиновий|Зіновій|Zinovy,Zinovii
m|Иосиф|Іосіф,Язэп,Юзаф|Iosif,Joseph,Jozef,Yazep,Yuzaf,Josef
m|Казимир|Казімір|Kazimir,Kazimierz,Casimir
m|Климент|Клімент|Kliment,Clement
m|Кузьма|Кузьма|Kuzma|Кузьмич|Кузьміч
m|Лев|Леў|Lev,Leu,Leo,Lew|Львович|Львовіч
m|Лука|Лука|Luka,Luke,Lucas|Лукич|Лукіч
m|Макар|Макар|Makar
m|Матвей|Мацвей|Matvei,Matvey,Matsvei,Matthew,Mateusz
m|Мирон|Мірон|Miron,Myron
m|Назар|Назар|Nazar
m|Наум|Навум|Naum,Navum
m|Нестор|Нестар|Nestor,Nestar
m|Остап|Астап|Ostap,Astap
m|Платон|Платон|Platon
m|Прохор|Прохар|Prokhor,Prakhar
m|Родион|Радзівон|Rodion,Radzivon
m|Ростислав|Расціслаў|Rostislav,Rastsislau
m|Савелий|Савелій,Савел|Saveliy,Savely,Savelii
m|Святослав|Святаслаў|Svyatoslav,Sviataslau
m|Серафим|Серафім|Serafim
m|Тарас|Тарас|Taras
m|Тимур|Цімур|Timur,Tsimur
m|Трофим|Трафім|Trofim,Trafim
m|Феликс|Фелікс|Felix,Feliks
m|Филипп|Філіп,Піліп|Filipp,Philip,Filip,Pilip
m|Юлиан|Юльян|Yulian,Julian,Julijan
m|Ян|Ян|Yan,Jan
m|Вацлав|Вацлаў|Vatslav,Vatslau,Waclaw,Vaclav
m|Гавриил,Гаврила|Гаўрыла,Гаўрыіл|Gavriil,Gavrila,Hauryla,Gabriel
m|Герасим|Герасім|Gerasim,Hierasim
m|Елисей|Елісей|Elisei,Yelisey
m|Емельян|Емяльян|Emelyan,Yemelyan,Emilian
m|Ермолай|Ярмола|Ermolai,Yarmola
m|Игнат|Ігнат|Ignat,Ihnat
m|Игнатий|Ігнацій|Ignatiy,Ignatius,Ignacy,Ihnatsi
m|Иларион,Илларион|Іларыён|Ilarion,Hilarion
m|Иннокентий|Інакенцій|Innokenty,Innocent
m|Кондрат|Кандрат|Kondrat,Kandrat
m|Лаврентий|Лаўрэн,Лаўрэнцій|Lavrenty,Laurence,Laurynas
m|Леон|Леан|Leon,Lean
m|Мартын,Мартин|Марцін,Мартын|Martin,Martyn,Marcin,Martsin
m|Митрофан|Мітрафан|Mitrofan
m|Осип|Восіп|Osip,Vosip
m|Прокопий,Прокоп|Пракоп|Prokopiy,Prokop,Prakop
m|Рудольф|Рудольф|Rudolf,Rudolph
m|Савва|Сава|Savva,Sava|Саввич|Савіч
m|Самуил|Самуіл|Samuil,Samuel
m|Сидор|Сідар|Sidor,Sidar
m|Тихон|Ціхан|Tikhon,Tsikhan
m|Фома|Хама,Тамаш|Foma,Thomas,Tomasz,Tamash|Фомич|Хамовіч
m|Харитон|Харытон|Khariton,Kharyton
m|Юлий|Юлій|Yuly,Julius
m|Адам|Адам|Adam
m|Альберт|Альберт|Albert
m|Альфред|Альфрэд|Alfred
m|Ананий|Ананій|Ananiy
m|Андриан|Андрыян|Andrian,Adrian
m|Антип|Анціп|Antip
m|Аполлон|Апалон|Apollon
m|Арсен|Арсен|Arsen
m|Артемий|Арцемій|Artemiy,Artemii
m|Афанасий|Апанас,Афанасій|Afanasy,Apanas,Athanasius
m|Аким|Якім|Akim,Yakim,Joachim
m|Валериан|Валер'ян|Valerian
m|Варфоломей|Варфаламей|Bartholomew,Varfolomei
m|Венедикт|Венядзікт|Venedikt,Benedict
m|Викентий|Вікенцій|Vikenty,Vincent,Wincenty
m|Витольд|Вітольд|Vitold,Witold
m|Влас|Улас|Vlas,Ulas
m|Вилен|Вілен|Vilen
m|Владлен|Уладлен|Vladlen
m|Галактион|Галакціён|Galaktion
m|Гурий|Гурый|Gury
m|Дамиан|Дамян|Damian
m|Демид|Дзямід|Demid,Dziamid
m|Дементий|Дземянцій|Dementy
m|Дорофей|Дарафей|Dorofei
m|Евдоким|Яўдакім|Evdokim,Yaudakim
m|Евстафий|Яўстафій|Evstafy,Eustace
m|Еремей|Ярэма|Eremei,Yarema,Jeremiah
m|Ефрем|Яфрэм|Efrem,Yafrem,Ephraim
m|Исаак|Ісаак|Isaak,Isaac
m|Карл|Карл|Karl,Charles,Carl
m|Ким|Кім|Kim
m|Корней|Карней|Kornei,Karnei
m|Корнелий|Карнелій|Cornelius,Korneliy
m|Ксаверий|Ксаверый|Ksaveriy,Xavier,Ksawery
m|Лазарь|Лазар|Lazar,Lazarus
m|Леонтий|Лявон,Леанцій|Leonty,Lyavon,Liavon
m|Лукьян|Лук'ян|Lukyan,Lukian
m|Любомир|Любамір|Lubomir,Lyubomir
m|Максимилиан|Максіміліян|Maximilian
m|Маркел|Маркел|Markel
m|Мефодий|Мяфодзій|Methodius,Mefody
m|Мечислав|Мечыслаў|Mieczyslaw,Mechislav,Miachyslau
m|Мирослав|Міраслаў|Miroslav,Miraslau,Miroslaw
m|Модест|Мадэст|Modest
m|Моисей|Майсей|Moisei,Moses,Maisei
m|Никанор|Міканор|Nikanor,Mikanor
m|Никифор|Мікіфар|Nikifor,Mikifar
m|Никодим|Мікодым|Nikodim,Nicodemus
m|Нил|Ніл|Nil
m|Оскар|Оскар|Oscar,Oskar
m|Панкрат|Панкрат|Pankrat
m|Парфён|Парфён|Parfyon,Parfen
m|Пимен|Пімен|Pimen
m|Порфирий|Парфір|Porfiry,Parfir
m|Потап|Патап|Potap,Patap
m|Радим|Радзім|Radim,Radzim
m|Радислав|Радзіслаў|Radislav
m|Рафаил|Рафаіл|Rafail,Raphael,Rafal
m|Ренат|Рэнат|Renat
m|Ричард|Рычард|Richard,Ryszard
m|Ромуальд|Рамуальд|Romuald,Ramualdas
m|Самсон|Самсон|Samson
m|Севастьян|Сявасцьян|Sevastyan,Sebastian
m|Северин|Северын|Severin,Seweryn
m|Силантий|Сілант|Silanty
m|Спиридон|Спірыдон|Spiridon
m|Стефан|Стэфан,Сцяфан|Stefan,Stephan
m|Терентий|Цярэнцій|Terenty,Terence
m|Трифон|Трыфан|Trifon
m|Ульян|Ульян|Ulyan
m|Устин|Усцін|Ustin,Justin
m|Фаддей|Фадзей|Faddei,Thaddeus
m|Федот|Хвядот|Fedot
m|Филимон|Філімон|Filimon
m|Франц|Франц,Францішак|Franz,Franciszek,Frantsishak,Francis
m|Христофор|Хрыстафор|Khristofor,Christopher
m|Эдгар|Эдгар|Edgar
m|Эльдар|Эльдар|Eldar
m|Эмиль|Эміль|Emil
m|Эрнест|Эрнэст|Ernest
m|Генрих|Генрых|Genrikh,Henryk,Henry,Heinrich
m|Людвиг|Людвік|Ludwig,Ludvik,Ludwik
m|Чеслав|Чэслаў|Cheslav,Czeslaw,Cheslau
m|Болеслав|Баляслаў|Boleslav,Boleslaw,Balaslau
m|Бронислав|Браніслаў|Bronislav,Bronislaw,Branislau
m|Збигнев|Збігнеў|Zbigniew
m|Марат|Марат|Marat
m|Рустам|Рустам|Rustam
m|Тадеуш|Тадэвуш|Tadeusz,Tadevush
m|Эммануил|Эмануіл|Emmanuel
m|Альгерд|Альгерд|Algerd,Olgierd,Algirdas
m|Вольдемар|Вальдэмар|Voldemar,Waldemar
m|Всеслав|Усяслаў|Vseslav,Usiaslau
m|Светозар|Светазар|Svetozar
m|Ираклий|Іраклій|Irakli,Heraclius
m|Эльмар|Эльмар|Elmar
m|Амвросий|Амброжы|Ambrose,Amvrosy
m|Антоний|Антоній|Antoniy,Anthony,Antony
m|Арнольд|Арнольд|Arnold
m|Богуслав|Багуслаў|Boguslav,Boguslaw
m|Валентий|Валенцій|Walenty
m|Евгениуш|Яўгеніюш|Eugeniusz
m|Иероним|Геранім|Hieronim,Jerome
m|Мацей|Мацей|Maciej,Matsei
m|Олесь|Алесь|Ales,Oles,Alies
m|Павлин|Паўлін|Pavlin
m|Пантелей|Панцялей|Panteley,Pantsialei
m|Пахом|Пахом|Pakhom
m|Сильвестр|Сільвестр|Silvestr,Sylvester
m|Симон|Сымон|Simon,Symon
m|Тит|Ціт|Tit,Titus
m|Аристарх|Арыстарх|Aristarkh
m|Аскольд|Аскольд|Askold
m|Афанасий|Панас|Panas
f|Александра|Аляксандра,Алеся|Alexandra,Aleksandra,Alyaksandra,Aliaksandra,Oleksandra
f|Алина|Аліна|Alina
f|Алла|Ала|Alla,Ala
f|Анастасия|Анастасія,Настасся|Anastasia,Anastasiya,Anastasija,Nastassia,Nastassya
f|Анжела|Анжэла|Angela,Anzhela
f|Анна|Ганна|Anna,Hanna,Ann,Anne
f|Антонина|Антаніна|Antonina,Antanina
f|Валентина|Валянціна|Valentina,Valiantsina
f|Валерия|Валерыя|Valeria,Valeriya
f|Вера|Вера,Віра|Vera,Wiera,Viera
f|Вероника|Вераніка|Veronika,Veranika,Veronica
f|Виктория|Вікторыя|Victoria,Viktoria,Viktoryia,Wiktoria
f|Галина|Галіна|Galina,Halina
f|Дарья|Дар'я|Daria,Darya,Darja,Dariya
f|Диана|Дыяна|Diana,Dyiana
f|Евгения|Яўгенія|Evgenia,Yevgeniya,Eugenia,Yauhenia
f|Екатерина|Кацярына|Ekaterina,Yekaterina,Katsiaryna,Catherine,Katarzyna,Kateryna
f|Елена,Алёна|Алена,Алёна|Elena,Yelena,Helena,Helen,Alena,Olena,Alyona,Aliona
f|Алёна|Алёна|Alyona,Aliona,Alena
f|Елизавета|Лізавета,Елізавета|Elizaveta,Yelizaveta,Elizabeth,Lizaveta,Elzbieta
f|Жанна|Жанна|Zhanna,Jeanne,Zanna
f|Зинаида|Зінаіда|Zinaida
f|Зоя|Зоя|Zoya,Zoia,Zoe
f|Инна|Іна|Inna,Ina
f|Ирина|Ірына|Irina,Iryna,Irene
f|Карина|Карына|Karina,Karyna
f|Кира|Кіра|Kira
f|Кристина|Крысціна|Kristina,Krystsina,Christina,Krystyna
f|Ксения|Ксенія|Ksenia,Kseniya,Xenia
f|Лариса|Ларыса|Larisa,Larysa
f|Лидия|Лідзія|Lidia,Lidiya,Lidziya,Lydia
f|Любовь|Любоў|Lyubov,Liubou,Liubov
f|Людмила|Людміла|Lyudmila,Liudmila,Ludmila
f|Маргарита|Маргарыта|Margarita,Marharyta,Margaret
f|Марина|Марына|Marina,Maryna
f|Мария|Марыя,Марыля|Maria,Mariya,Maryia,Mary,Marie,Marija,Marylia
f|Надежда|Надзея|Nadezhda,Nadzeya,Nadzeja
f|Наталья,Наталия|Наталля,Наталія|Natalia,Natalya,Nataliya,Natallia,Natalie
f|Нина|Ніна|Nina
f|Оксана|Аксана|Oksana,Aksana
f|Ольга|Вольга|Olga,Volha,Olha,Wolha
f|Полина|Паліна|Polina,Palina,Pauline
f|Раиса|Раіса|Raisa
f|Светлана|Святлана|Svetlana,Sviatlana,Svyatlana
f|София,Софья|Соф'я,Сафія,Зося|Sofia,Sofiya,Sophia,Sofya,Sofja,Zofia
f|Тамара|Тамара|Tamara
f|Татьяна|Таццяна|Tatiana,Tatyana,Tatsiana,Tatsyana,Tacciana
f|Юлия|Юлія|Yulia,Yuliya,Julia,Iuliia,Julija
f|Яна|Яна|Yana,Jana
f|Анжелика|Анжаліка|Angelika,Anzhelika
f|Арина|Арына|Arina,Aryna
f|Василиса|Васіліса|Vasilisa
f|Владислава|Уладзіслава|Vladislava,Uladzislava
f|Дина|Дзіна|Dina,Dzina
f|Ева|Ева|Eva,Yeva,Ewa
f|Евдокия|Яўдакія|Evdokia,Yaudakiya
f|Злата|Злата|Zlata
f|Клавдия|Клаўдзія|Klavdia,Claudia
f|Лилия|Лілія|Lilia,Liliya
f|Майя|Мая|Maya,Maia,Maja
f|Милана|Мілана|Milana
f|Нелли|Нэлі|Nelly,Nelli
f|Олеся|Алеся|Olesya,Alesia,Alesya
f|Регина|Рэгіна|Regina,Rehina
f|Римма|Рыма|Rimma,Ryma
f|Серафима|Серафіма|Serafima
f|Снежана|Сняжана|Snezhana,Sniazhana
f|Стефания|Стэфанія|Stefania,Stephanie
f|Таисия|Таісія|Taisia,Taisiya
f|Ульяна|Ульяна|Ulyana,Uliana
f|Фаина|Фаіна|Faina
f|Эвелина|Эвеліна|Evelina
f|Элеонора|Элеанора|Eleonora,Eleanor
f|Элла|Эла|Ella
f|Эльвира|Эльвіра|Elvira
f|Юлиана|Юльяна|Juliana,Yuliana
f|Ядвига|Ядвіга|Jadwiga,Yadviga
f|Янина|Яніна|Janina,Yanina
f|Ангелина|Ангеліна|Angelina,Anhelina
f|Анфиса|Анфіса|Anfisa
f|Варвара|Варвара|Varvara,Barbara
f|Дарина|Дарына|Darina,Daryna
f|Доминика|Дамініка|Dominika
f|Ефросинья|Ефрасіння|Efrosinya,Yefrasinnia,Euphrosyne
f|Изабелла|Ізабэла|Isabella,Izabela
f|Илона|Ілона|Ilona
f|Инга|Інга|Inga
f|Лада|Лада|Lada
f|Леся|Леся|Lesya
f|Лиана|Ліяна|Liana
f|Марианна|Мар'яна|Marianna,Mariana,Maryana
f|Мирослава|Міраслава|Miroslava,Miraslava
f|Олимпиада|Алімпіяда|Olimpiada
f|Пелагея|Палагея|Pelageya,Palagheya
f|Прасковья|Параскева,Параска|Praskovya,Paraskeva
f|Рената|Рэната|Renata
f|Роза|Ружа,Роза|Roza,Rosa
f|Руслана|Руслана|Ruslana
f|Сабина|Сабіна|Sabina
f|Станислава|Станіслава|Stanislava,Stanislawa
f|Стелла|Стэла|Stella
f|Тереза|Тэрэза|Tereza,Teresa
f|Эмилия|Эмілія|Emilia,Emiliya
f|Ярослава|Яраслава|Yaroslava,Jaroslawa
f|Агата|Агата|Agata,Ahata
f|Агния|Агнія|Agnia,Agnes
f|Аксинья|Аксіння|Aksinya
f|Алевтина|Алеўціна|Alevtina,Aleutsina
f|Аза|Аза|Aza
f|Антонида|Антаніда|Antonida
f|Бронислава|Браніслава|Bronislava,Bronislawa
f|Ванда|Ванда|Wanda,Vanda
f|Вита|Віта|Vita
f|Виолетта|Віялета|Violetta,Violeta
f|Габриэла|Габрыэла|Gabriela
f|Дана|Дана|Dana
f|Диляра|Дзіляра|Dilyara
f|Есения|Ясенія|Esenia,Yesenia
f|Ефимия|Яўхімія|Efimia
f|Жозефина|Жазефіна|Josephine
f|Зарина|Зарына|Zarina
f|Иветта|Івета|Ivetta
f|Ия|Ія|Iya
f|Камилла|Каміла|Kamilla,Camilla
f|Капитолина|Капіталіна|Kapitolina
f|Каролина|Караліна|Karolina,Caroline
f|Клара|Клара|Klara,Clara
f|Лаура|Лаура|Laura
f|Леокадия|Леакадзія|Leokadia
f|Лолита|Ліліта|Lolita
f|Луиза|Луіза|Luiza,Louise
f|Людвика|Людвіка|Ludwika
f|Мадина|Мадзіна|Madina
f|Марта|Марта|Marta,Martha
f|Матрёна|Мацёна|Matryona
f|Мелания|Меланія|Melania
f|Наина|Наіна|Naina
f|Нонна|Нона|Nonna
f|Павлина|Паўліна|Pavlina,Paulina
f|Розалия|Разалія|Rozalia
f|Сусанна|Сусана|Susanna,Susan
f|Стефанида|Сцяпаніда|Stefanida
f|Теодора|Тэадора|Teodora
f|Устинья|Усцінья|Ustinya
f|Фёкла|Тэкля,Фёкла|Fyokla,Tekla,Thekla
f|Христина|Хрысціна|Khristina
f|Эльза|Эльза|Elza,Elsa
f|Эмма|Эма|Emma
f|Ядвига|Ядзвіга|Jadwiga
f|Юзефа|Юзэфа|Juzefa,Jozefa
f|Янина|Яніна|Janina
f|Ирма|Ірма|Irma
f|Виталина|Віталіна|Vitalina
f|Владлена|Уладлена|Vladlena
f|Дария|Дарыя|Dariya
f|Елизавета|Альжбета|Alzhbeta
f|Екатерина|Кацярына|Katsiaryna
f|Ксения|Аксіння|Aksinnia
f|Маргарита|Маргарыта|Marharyta
f|Мирра|Міра|Mira,Mirra
f|Нелли|Нэля|Nelia
f|Снежанна|Снежана|Snezhanna
f|Таира|Таіра|Taira
f|Эльвина|Эльвіна|Elvina
`;

/** One given name across both languages. `id` is stable within a build (index in the table). */
export interface GivenNameEntry {
  readonly id: number;
  readonly gender: 'm' | 'f';
  /** Russian Cyrillic forms, the usual form first. */
  readonly ru: readonly string[];
  /** Belarusian Cyrillic forms, the usual form first. */
  readonly be: readonly string[];
  /** Conventional Latin spellings (English/Polish/… usage and common passport spellings). */
  readonly latin: readonly string[];
  /** Irregular male patronymics, when the rule-derived one is wrong. */
  readonly patronymicRu?: string;
  readonly patronymicBe?: string;
}

function splitList(field: string | undefined): string[] {
  if (!field) return [];
  return field
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Parses the table; lines that repeat a Russian name (same gender) are merged into one entry. */
function parse(): GivenNameEntry[] {
  const entries: GivenNameEntry[] = [];
  const byKey = new Map<string, number>();
  for (const line of DATA.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    const [gender, ru, be, latin, patronymicRu, patronymicBe] = trimmed.split('|');
    if (gender !== 'm' && gender !== 'f') throw new Error(`given-names: bad gender in "${trimmed}"`);
    const ruForms = splitList(ru);
    const key = `${gender}:${ruForms[0]?.toLowerCase()}`;
    const existing = byKey.get(key);
    if (existing !== undefined) {
      const old = entries[existing]!;
      entries[existing] = {
        ...old,
        ru: union(old.ru, ruForms),
        be: union(old.be, splitList(be)),
        latin: union(old.latin, splitList(latin)),
      };
      continue;
    }
    byKey.set(key, entries.length);
    entries.push({
      id: entries.length,
      gender,
      ru: ruForms,
      be: splitList(be),
      latin: splitList(latin),
      ...(patronymicRu ? { patronymicRu } : {}),
      ...(patronymicBe ? { patronymicBe } : {}),
    });
  }
  return entries;
}

/** All dictionary entries. */
export const GIVEN_NAMES: readonly GivenNameEntry[] = parse();
